"""Short, readable renderings of values and calls for feedback (never the full data)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

MAX_CHARS = 400
# Numbers in a message (shapes, sizes, values), masked in what a student reads about a hidden
# case: they may come from its hidden inputs or expected values.
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])")
_NUMBER_TUPLE = re.compile(r"\((?:\s*…\s*,?)+\)")
HIDDEN_NUMBER = "…"


def mask_numbers(text: str) -> str:
    """`text` with every number replaced by an ellipsis ("shapes (4,80) (4,)" -> "shapes (…)
    (…)"): what a student may read about a hidden case when no safer wording exists."""
    masked = _NUMBER.sub(HIDDEN_NUMBER, text)
    return _NUMBER_TUPLE.sub(f"({HIDDEN_NUMBER})", masked)


def summarize_value(value: Any, limit: int = MAX_CHARS) -> str:
    """A compact repr: small arrays in full, large ones by shape with a few edge values."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        text = summarize_value(value[()], limit)
    elif isinstance(value, np.ndarray):
        column = value.ndim == 2 and value.shape[1] == 1 and value.shape[0] > 1
        shown = value[:, 0] if column else value  # a column vector reads better as one line
        body = np.array2string(
            shown, precision=5, threshold=64, edgeitems=3, max_line_width=100, suppress_small=True
        )
        label = " column" if column else ""
        text = f"array(shape={tuple(value.shape)}, dtype={value.dtype}){label} {body}"
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


def describe_call(
    function: str, args: tuple[Any, ...], kwargs: dict[str, Any], signature: str = ""
) -> str:
    """`name(...)` then one `param = value` line per argument, named from the signature."""
    names = parameter_names(signature)
    lines = [f"{function}(...) with"]
    for index, arg in enumerate(args):
        name = names[index] if index < len(names) else f"argument {index + 1}"
        text = summarize_value(arg, 900).replace("\n", "\n" + " " * (len(name) + 5))
        lines.append(f"  {name} = {text}")
    lines += [f"  {key} = {summarize_value(value, 120)}" for key, value in kwargs.items()]
    return "\n".join(lines)


def parameter_names(signature: str) -> list[str]:
    """Parameter names from a signature string such as `propagate(w, b, X, Y) -> (grads, cost)`."""
    inside = signature.partition("(")[2].partition(")")[0]
    return [part.split("=")[0].strip() for part in inside.split(",") if part.strip()]


def describe_structure(value: Any) -> str:
    """What a value looks like without its numbers: arrays by shape, dicts and tuples by their
    entries ("{'W1': an array of shape (4, 2), 'b1': an array of shape (4, 1)}"). For
    answers checked by a property, whose expected values are not a single array."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return f"an array of shape {tuple(value.shape)}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {describe_structure(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple | list):
        inner = ", ".join(describe_structure(v) for v in value[:12])
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return "a number" if isinstance(value, int | float | np.number) else summarize_value(value)
