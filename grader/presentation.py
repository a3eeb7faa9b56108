"""Short, readable renderings of values and calls for feedback (never the full data)."""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_CHARS = 400


def summarize_value(value: Any, limit: int = MAX_CHARS) -> str:
    """A compact repr: small arrays in full, large ones by shape with a few edge values."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        text = summarize_value(value[()], limit)
    elif isinstance(value, np.ndarray):
        body = np.array2string(value, precision=5, threshold=24, edgeitems=2,
                               max_line_width=100, suppress_small=True)
        text = f"array(shape={tuple(value.shape)}, dtype={value.dtype}) {body}"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k!r}: {summarize_value(v, 160)}" for k, v in value.items()) + "}"
    elif isinstance(value, tuple | list):
        inner = ", ".join(summarize_value(v, 160) for v in value[:12])
        more = ", ..." if len(value) > 12 else ""
        text = f"({inner}{more})" if isinstance(value, tuple) else f"[{inner}{more}]"
    elif isinstance(value, float | np.floating):
        text = f"{float(value):.8g}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_call(function: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """`name(arg, ..., key=value)` with each argument summarized."""
    parts = [summarize_value(arg, 200) for arg in args]
    parts += [f"{key}={summarize_value(value, 80)}" for key, value in kwargs.items()]
    return f"{function}({', '.join(parts)})"
