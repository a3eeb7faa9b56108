"""Deferred imports in the sandbox: a library a notebook imports loads when first used, and
student code sees exactly the module it would have had. Each check runs in a fresh interpreter
(as the sandbox is), with `sandbox/deferred_imports.py` loaded by path and installed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

MODULE = Path(__file__).resolve().parent.parent / "grader" / "sandbox" / "deferred_imports.py"
PRELUDE = f"""
import importlib.util, sys, types
spec = importlib.util.spec_from_file_location("deferred_imports", {str(MODULE)!r})
deferred = importlib.util.module_from_spec(spec)
sys.modules["deferred_imports"] = deferred
spec.loader.exec_module(deferred)
deferred.install()
"""


def run(code: str) -> str:
    """Run `code` after installing the deferring finder; its stdout (it must succeed)."""
    script = PRELUDE + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_an_import_costs_nothing_until_the_module_is_used() -> None:
    """`import matplotlib.pyplot as plt` leaves both modules unrun; the first attribute read
    runs matplotlib first, then pyplot, and plotting works."""
    out = run(
        """
        import matplotlib.pyplot as plt
        print(deferred.is_deferred(plt), deferred.is_deferred(sys.modules["matplotlib"]))
        print(isinstance(plt, types.ModuleType), plt.__name__)
        plt.plot([1, 2], [3, 4])
        plt.close("all")
        import matplotlib
        print(deferred.is_deferred(plt), matplotlib.pyplot is plt, matplotlib.get_backend().lower())
        """
    )
    assert out.split() == ["True", "True", "True", "matplotlib.pyplot", "False", "True", "agg"]


def test_libraries_behave_as_if_imported_at_once() -> None:
    """From-imports, submodules, package data read through importlib.resources and a library
    importing its own submodules all work (scikit-learn reads its bundled CSV)."""
    out = run(
        """
        from scipy import ndimage
        import numpy as np
        print(ndimage.gaussian_filter(np.ones((3, 3)), 1).shape)
        import sklearn.datasets as datasets
        print(datasets.load_iris().data.shape)
        from PIL import Image
        print(Image.new("RGB", (2, 3)).size)
        """
    )
    assert out.split() == ["(3,", "3)", "(150,", "4)", "(2,", "3)"]


def test_a_missing_library_still_fails_at_the_import() -> None:
    """A library that is not installed raises ImportError where the notebook imports it."""
    out = run(
        """
        try:
            import matplotlib_that_does_not_exist
        except ImportError:
            print("ImportError")
        import json
        print(deferred.is_deferred(json))
        """
    )
    assert out.split() == ["ImportError", "False"]
