"""Sandbox side: libraries that notebooks import for plots, images and files load on first use.

Course notebooks start with `import matplotlib.pyplot as plt` (about 0.4 s), `import h5py`,
`from PIL import Image`, `import scipy`, and then use them only in cells the cell plan skips
(plots, data files, the student's own picture). In the sandbox such an import returns a
*deferred* module: the real module object, whose code runs the moment anything other than
its import bookkeeping (`__name__`, `__path__`, `__spec__`, ...) or an already imported
submodule is read from it. Student code sees exactly the module it imported, only later;
a library that is not installed still raises ImportError at the import. Compiled extension
modules load at once (only Python source is deferred).

Imports nothing from the grader (it is loaded by path in the sandbox's zygote).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Sequence
from typing import Any

DEFERRED_PACKAGES = frozenset(
    {
        "matplotlib",
        "mpl_toolkits",
        "seaborn",
        "PIL",
        "imageio",
        "skimage",
        "scipy",
        "h5py",
        "sklearn",
        "pandas",
    }
)
# What the import system reads from a module while importing it or its submodules.
_BOOKKEEPING = frozenset(
    {
        "__spec__",
        "__name__",
        "__path__",
        "__loader__",
        "__package__",
        "__file__",
        "__cached__",
        "__dict__",
        "__class__",
    }
)


class DeferredModule(types.ModuleType):
    """A module whose code has not run yet; reading an attribute runs it."""

    def __getattribute__(self, name: str) -> Any:
        if name in _BOOKKEEPING:
            return types.ModuleType.__getattribute__(self, name)
        found = types.ModuleType.__getattribute__(self, "__dict__").get(name)
        if isinstance(found, types.ModuleType):  # a submodule the import system set
            return found
        load(self)
        return getattr(self, name)

    def __dir__(self) -> list[str]:
        load(self)
        return dir(self)


_loading = [0]  # deferred modules whose code is running: what they import loads at once


def load(module: types.ModuleType) -> None:
    """Run a deferred module's code now (nothing happens for a module already loaded).

    Everything that code imports loads at once, as it would have: libraries rely on the side
    effects of their own imports."""
    if type(module) is not DeferredModule:
        return
    spec = types.ModuleType.__getattribute__(module, "__spec__")
    parts = spec.name.split(".")
    for end in range(1, len(parts)):  # packages first, as an import runs them
        parent = sys.modules.get(".".join(parts[:end]))
        if parent is not None:
            load(parent)
    if type(module) is not DeferredModule:  # a parent's code loaded it
        return
    real = spec.loader.real
    spec.loader = real
    object.__setattr__(module, "__class__", types.ModuleType)
    module.__loader__ = real
    _loading[0] += 1
    try:
        real.exec_module(module)
    except BaseException:
        if sys.modules.get(spec.name) is module:
            del sys.modules[spec.name]
        raise
    finally:
        _loading[0] -= 1


def is_deferred(module: object) -> bool:
    """Whether `module` is a deferred module whose code has not run (reading nothing)."""
    return type(module) is DeferredModule


class _DeferringLoader(importlib.abc.Loader):
    def __init__(self, real: importlib.abc.Loader) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        object.__setattr__(module, "__class__", DeferredModule)

    def __getattr__(self, name: str) -> Any:  # resource readers, get_data, get_filename, ...
        return getattr(self.real, name)


class DeferringFinder(importlib.abc.MetaPathFinder):
    """Finds modules of `DEFERRED_PACKAGES` with the other finders and defers their code."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if _loading[0] or fullname.partition(".")[0] not in DEFERRED_PACKAGES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is None:
                continue
            if isinstance(spec.loader, importlib.machinery.SourceFileLoader | _Sourceless):
                spec.loader = _DeferringLoader(spec.loader)
            return spec
        return None


_Sourceless = importlib.machinery.SourcelessFileLoader


def install() -> None:
    """Defer the packages' imports from now on in this process (idempotent)."""
    if not any(isinstance(finder, DeferringFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, DeferringFinder())
