#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image: a Python of at
# least 3.11 (installed with apt when the image has none), a virtual environment in
# $ROOT/venv, and in it the grader with what it needs (requirements.txt: the grader's wheel
# shipped in this bundle, with the `keras` extra for Keras assignments, or a pinned
# requirement). Written by `grade gradescope`.
set -euo pipefail

ROOT="${GRADER_AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"

recent_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! PYTHON="$(recent_python)"; then  # e.g. Ubuntu 22.04's Python 3.10
    apt-get update
    apt-get install -y --no-install-recommends python3.11 python3.11-venv
    PYTHON=python3.11
fi
if ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then  # Debian ships venv apart
    apt-get update
    apt-get install -y --no-install-recommends "$PYTHON-venv"
fi
echo "setup.sh: using $("$PYTHON" --version) at $(command -v "$PYTHON")"

"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --upgrade pip
cd "$SOURCE"
"$VENV/bin/python" -m pip install -r requirements.txt

# Which sandbox protections this image gives (in the build log, for the instructor).
"$VENV/bin/grade" doctor || true
