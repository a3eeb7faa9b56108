"""The sandbox: student code runs only in a forked child process, confined and limited.

`host.py` is the grader side; `child.py`, `confine.py` and `runner.py` run on the sandbox
side and import nothing from the grader; `wire.py` is the plain-data format both sides speak.
"""

from grader.sandbox.host import (
    Sandbox,
    SandboxConfig,
    SandboxDied,
    SandboxProtocolError,
    SandboxTimeout,
    Zygote,
    shared_zygote,
)

__all__ = [
    "Sandbox",
    "SandboxConfig",
    "SandboxDied",
    "SandboxProtocolError",
    "SandboxTimeout",
    "Zygote",
    "shared_zygote",
]
