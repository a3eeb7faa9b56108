"""`grade doctor`: which sandbox protections this machine gives, and how to get the rest.

Starts one real sandbox (as grading would) and compares the protections it reports with the
full set, so the answer is what this machine actually does, not what it might do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from grader.resources import secret_paths, source_checkout
from grader.sandbox import Sandbox, SandboxConfig, SandboxDied

# Each protection: a phrase the sandbox reports when it is in force, and how to enable it.
PROTECTIONS: tuple[tuple[str, str, str], ...] = (
    ("own session and process group", "separate process in its own session", ""),
    ("resource limits", "resource limits:", ""),
    ("scrubbed environment and private working directory", "scrubbed environment", ""),
    (
        "no network",
        "no network",
        "Needs network namespaces: run as root, or enable unprivileged user namespaces "
        "(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0).",
    ),
    ("own PID namespace", "own PID namespace", "Needs PID namespaces (as for the network)."),
    (
        "only system, Python and working directory visible",
        "only the system, Python",
        "Needs mount namespaces and pivot_root (as root or in a user namespace); without them the "
        "grader hides its own files in place but other files stay readable: run the grader in a "
        "container (see SECURITY.md).",
    ),
    ("read-only filesystem except the working directory", "filesystem read-only", ""),
    (
        "no capabilities",
        "no capabilities (user namespace)",
        "Needs user namespaces; otherwise student code keeps the grader's privileges.",
    ),
    ("no privilege escalation", "no privilege escalation", "Needs Linux (prctl no_new_privs)."),
    (
        "process and thread count bounded (fork bombs)",
        "(cgroup pids)",
        "Needs a writable pids cgroup: run the grader as root, or in a container or systemd "
        "unit with cgroup delegation (systemd-run --user -p Delegate=yes ...).",
    ),
    (
        "memory ceiling counting everything (cgroup)",
        "(cgroup memory)",
        "Needs a writable memory cgroup (as for pids); without it only RLIMIT_DATA limits "
        "memory, which does not count shared mappings or thread stacks.",
    ),
)


@dataclass(frozen=True)
class Finding:
    """One protection: whether it is in force here, and how to enable it if not."""

    name: str
    in_force: bool
    advice: str


def examine_machine() -> list[Finding]:
    """Start one sandbox and report each protection. Raises SandboxDied if none can start."""
    config = SandboxConfig(hide=tuple(secret_paths()), source_root=source_checkout())
    with Sandbox(config) as sandbox:
        reported = sandbox.protections
    findings = []
    for name, phrase, advice in PROTECTIONS:
        in_force = any(phrase in item for item in reported)
        findings.append(Finding(name, in_force, "" if in_force else advice))
    return findings


def render_findings(findings: list[Finding]) -> str:
    """A short report for the terminal."""
    lines = [f"running as uid {os.geteuid()}" + (" (root)" if os.geteuid() == 0 else "")]
    for finding in findings:
        mark = "yes" if finding.in_force else "NO "
        lines.append(f"  [{mark}] {finding.name}")
        if finding.advice:
            lines.append(f"        {finding.advice}")
    missing = sum(not f.in_force for f in findings)
    lines.append(
        "all protections in force"
        if not missing
        else f"{missing} protection(s) missing: see SECURITY.md"
    )
    return "\n".join(lines) + "\n"


__all__ = ["Finding", "SandboxDied", "examine_machine", "render_findings"]
