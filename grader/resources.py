"""Where the grader's data lives: specs, reference solutions and templates.

In a source checkout (or an editable install) they sit at the top of the repository; a built
wheel carries them inside the package as `grader/_data/` (see pyproject.toml).
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_root() -> Path:
    """The directory that holds `assignments/`, `reference_solutions/` and `templates/`."""
    packaged = PACKAGE_DIR / "_data"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent


def assignments_dir() -> Path:
    """Directory of assignment specs."""
    return data_root() / "assignments"


def reference_solutions_dir() -> Path:
    """Directory of hidden reference solutions (grader side only)."""
    return data_root() / "reference_solutions"


def templates_dir() -> Path:
    """Directory of Jinja2 feedback templates."""
    return data_root() / "templates"


def source_checkout() -> Path | None:
    """The repository the grader runs from, when it is not an installed package."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "grader").is_dir() else None


def secret_paths() -> list[Path]:
    """Paths the sandbox must not be able to read: the answers, the specs and our own code,
    including any other installed copy of the package (an editable install may leave one in
    site-packages)."""
    root = data_root()
    copies = [Path(entry) / "grader" for entry in sys.path if entry]
    return [
        root / "reference_solutions",
        root / "assignments",
        PACKAGE_DIR,
        *(copy for copy in copies if copy.is_dir() and copy != PACKAGE_DIR),
    ]
