"""What a Gradescope bundle tells its autograder: the assignment, the hidden seed and how to grade.

`grade gradescope` writes it into the bundle as `grader_config.json`; Gradescope unpacks the
bundle into `<root>/source/`, where `run_autograder` reads it for every submission. The hidden
seed lives only there (never in a printed line or in results.json), in a folder the sandbox
does not see.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CONFIG_NAME = "grader_config.json"
FORMAT_VERSION = 1
# The folder Gradescope works in, and the variable that overrides it (for trying a bundle out).
DEFAULT_ROOT = Path("/autograder")
ROOT_ENV = "GRADER_AUTOGRADER_ROOT"


class ConfigError(ValueError):
    """The bundle's configuration is missing or not one `grade gradescope` writes."""


@dataclass(frozen=True)
class BundleConfig:
    """How the autograder grades every submission of one assignment.

    Attributes:
        assignment: the assignment id.
        hidden_seed: seed of the hidden cases (a secret: never shown to students).
        train: run Keras training checks (False: `--no-train`).
        data: the bundle's folder of course data files (under `source/`), if any.
        grader_version: the version of the grader the bundle was made with.
    """

    assignment: str
    hidden_seed: int
    train: bool = True
    data: str | None = None
    grader_version: str = ""

    def to_json(self) -> str:
        """As written into the bundle."""
        return json.dumps({"format": FORMAT_VERSION, **asdict(self)}, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> BundleConfig:
        """Read a configuration written by `to_json`.

        Raises:
            ConfigError: not JSON, another format, or a field of the wrong type.
        """
        try:
            data: Any = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"{CONFIG_NAME} is not JSON ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            raise ConfigError(f"{CONFIG_NAME} is not a format {FORMAT_VERSION} configuration")
        assignment: Any = data.get("assignment")  # each checked below
        seed: Any = data.get("hidden_seed")
        train: Any = data.get("train", True)
        folder: Any = data.get("data")
        made_with: Any = data.get("grader_version", "")
        checks = {
            "assignment": isinstance(assignment, str) and bool(assignment),
            "hidden_seed": type(seed) is int,
            "train": isinstance(train, bool),
            "data": folder is None or isinstance(folder, str),
            "grader_version": isinstance(made_with, str),
        }
        wrong = [name for name, ok in checks.items() if not ok]
        if wrong:
            raise ConfigError(f"{CONFIG_NAME}: wrong or missing {', '.join(wrong)}")
        return cls(assignment, seed, train, folder, made_with)


def read_config(source: Path) -> BundleConfig:
    """The configuration in a bundle's unpacked folder (`<root>/source`).

    Raises:
        ConfigError: it is missing or malformed.
    """
    try:
        text = (source / CONFIG_NAME).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {CONFIG_NAME} ({exc.strerror})") from None
    return BundleConfig.from_json(text)
