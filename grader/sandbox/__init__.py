"""The sandbox: student code runs only in a forked child process, confined and limited.

`host.py` is the grader side and `zygote.py` the process that forks sandboxes; `child.py`,
`confine.py` and `runner.py` run on the sandbox side and import nothing from the grader;
`wire.py` is the plain-data format both sides speak.

The names below are loaded on first use, so that importing `grader.sandbox.zygote` (standard
library only) does not import numpy: `grade submit` starts the zygote before anything else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.sandbox.host import (
        Sandbox,
        SandboxConfig,
        SandboxDied,
        SandboxProtocolError,
        SandboxTimeout,
    )
    from grader.sandbox.zygote import Zygote, shared_zygote

_HOMES = {
    "Sandbox": "host",
    "SandboxConfig": "host",
    "SandboxDied": "host",
    "SandboxProtocolError": "host",
    "SandboxTimeout": "host",
    "Zygote": "zygote",
    "shared_zygote": "zygote",
}

__all__ = [
    "Sandbox",
    "SandboxConfig",
    "SandboxDied",
    "SandboxProtocolError",
    "SandboxTimeout",
    "Zygote",
    "shared_zygote",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'grader.sandbox' has no attribute {name!r}")
    return getattr(importlib.import_module(f"grader.sandbox.{_HOMES[name]}"), name)
