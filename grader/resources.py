"""Where the grader's data lives: specs, reference solutions and templates.

In a source checkout (or an editable install) they sit at the top of the repository; a built
wheel carries them inside the package as `grader/_data/` (see pyproject.toml). Instructors add
folders of their own assignments with `--assignments-dir DIR` or `GRADER_ASSIGNMENTS_PATH`
(folders separated by `os.pathsep`); they are searched before the bundled ones.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ASSIGNMENTS_PATH_ENV = "GRADER_ASSIGNMENTS_PATH"


def data_root() -> Path:
    """The directory that holds `assignments/`, `reference_solutions/` and `templates/`."""
    packaged = PACKAGE_DIR / "_data"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent


def assignments_dir() -> Path:
    """Directory of assignment specs."""
    return data_root() / "assignments"


def extra_assignment_dirs() -> list[Path]:
    """The instructor's own assignment folders, in search order."""
    entries = os.environ.get(ASSIGNMENTS_PATH_ENV, "").split(os.pathsep)
    return [Path(entry).resolve() for entry in entries if entry]


def add_assignment_dirs(directories: list[Path]) -> None:
    """Search these folders first (kept in the environment, so that batch workers and the
    commands they start see them too)."""
    known = [str(path) for path in extra_assignment_dirs()]
    added = [str(Path(path).resolve()) for path in directories]
    merged = [*dict.fromkeys([*added, *known])]
    os.environ[ASSIGNMENTS_PATH_ENV] = os.pathsep.join(merged)


def assignment_roots() -> list[Path]:
    """Every folder of assignments, the instructor's first, the bundled one last."""
    return [*extra_assignment_dirs(), assignments_dir()]


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
    others = [copy for copy in copies if copy.is_dir() and copy != PACKAGE_DIR]
    own = [path for folder in extra_assignment_dirs() for path in (folder, _references(folder))]
    return [
        root / "reference_solutions",
        root / "assignments",
        *own,
        PACKAGE_DIR,
        *others,
        # another source checkout on the path (an editable install of it): its answers too
        *(
            path
            for copy in others
            if (copy.parent / "pyproject.toml").is_file()
            for path in (copy.parent / "reference_solutions", copy.parent / "assignments")
        ),
        _cache_root(),  # compiled templates the grader loads: never writable by student code
    ]


def _references(folder: Path) -> Path:
    """Where the bundled layout keeps the references of a folder of assignments."""
    return folder.parent / "reference_solutions"


CACHE_DIR_ENV = "GRADER_CACHE_DIR"


def _cache_root() -> Path:
    return Path(
        os.environ.get(CACHE_DIR_ENV)
        or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
            "grader",
        )
    )


def cache_dir(kind: str) -> Path | None:
    """A folder of this user's grader cache (`$GRADER_CACHE_DIR`, else
    `$XDG_CACHE_HOME/grader`, else `~/.cache/grader`), made if missing; None if it cannot be.
    It holds only what the grader can rebuild (compiled templates); the sandbox never sees it."""
    folder = _cache_root() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
