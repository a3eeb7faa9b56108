"""The plain-data wire format between the grader and the sandbox.

A message is a 4-byte big-endian length followed by UTF-8 JSON. Values are tagged so that
tuples, dicts with non-string keys, numpy arrays and non-finite floats survive the trip:

    None/bool/str          as JSON
    int                    {"i": "123"}        (decimal string; capped length)
    float                  {"f": 1.5} / {"f": "nan"|"inf"|"-inf"}
    list / tuple           {"l": [...]} / {"t": [...]}
    dict                   {"d": [[key, value], ...]}
    numpy array or scalar  {"a": dtype, "s": shape, "b": base64 bytes, "0": is-numpy-scalar}
    anything else          {"x": "<type name>"}  (the grader reports it as an unsupported type)

Within one exchange of many messages (the stand-in calls of one graded call), both sides may
keep an `ArrayMemo`: a large array already sent once in either direction travels as
`{"r": digest}` the next time (its first trip carries `"h": digest`, checked on arrival), so a
training loop that passes the same data to a helper thousands of times sends it once.

Nothing is ever unpickled or evaluated. `decode` enforces caps on size, depth and element
count and accepts only numeric and bool dtypes, so a hostile child can send garbage but never
make the grader run code or exhaust memory.

The messages themselves (requests, replies, events, Keras probe replies) are described in
`protocol.py`, beside this file.

This module imports only the standard library and numpy: the sandbox loads it by file path and
must not import anything else from the grader.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import struct
from collections import OrderedDict
from typing import Any

import numpy as np

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
MAX_ITEMS = 200_000
MAX_INT_DIGITS = 400
MAX_ARRAY_DIMS = 32
ALLOWED_DTYPES = frozenset(
    [
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
    ]
)
_HEADER = struct.Struct(">I")


class WireError(Exception):
    """A message broke the format or its caps."""


class ArrayMemo:
    """The large arrays both sides of an exchange have seen, by digest, most recent last.

    Both sides update their memo in the same order (the order arrays appear in each message,
    messages strictly alternating), so the two stay the same: an array is remembered when it
    is sent or received in full, and used again (moved to the end) when referred to. At most
    `MAX_ENTRIES` arrays of `MIN_BYTES` to `MAX_BYTES` each are kept.
    """

    MIN_BYTES = 4096
    MAX_BYTES = 8 * 1024 * 1024
    MAX_ENTRIES = 16

    def __init__(self) -> None:
        self.arrays: OrderedDict[str, np.ndarray] = OrderedDict()

    def worth(self, array: np.ndarray) -> bool:
        """Is the array large enough to be remembered (and small enough to be kept)?"""
        return self.MIN_BYTES <= array.nbytes <= self.MAX_BYTES

    def remember(self, digest: str, array: np.ndarray) -> None:
        """Keep an array sent or received in full."""
        self.arrays[digest] = array
        self.arrays.move_to_end(digest)
        while len(self.arrays) > self.MAX_ENTRIES:
            self.arrays.popitem(last=False)

    def recall(self, digest: str) -> np.ndarray | None:
        """The array with this digest (marked as just used), or None."""
        array = self.arrays.get(digest)
        if array is not None:
            self.arrays.move_to_end(digest)
        return array


def array_digest(array: np.ndarray) -> str:
    """A digest of an array's dtype, shape and bytes."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"{array.dtype.str}|{array.shape}|".encode())
    digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


_NATIVE: dict[np.dtype[Any], np.dtype[Any] | None] = {}


def _native_dtype(dtype: np.dtype[Any]) -> np.dtype[Any] | None:
    """The native-order dtype an array of `dtype` travels as, or None if it may not travel
    (remembered: `dtype.name` is slow, and a call sends the same few dtypes many times)."""
    try:
        return _NATIVE[dtype]
    except KeyError:
        name = np.dtype(dtype).name
        native = np.dtype(name) if name in ALLOWED_DTYPES else None
        if len(_NATIVE) < 256:
            _NATIVE[dtype] = native
        return native


def encode(value: Any, memo: ArrayMemo | None = None) -> Any:
    """Turn a Python value into the tagged JSON-compatible form (with `memo`, large arrays
    the other side has already seen travel as references)."""
    return _encode(value, 0, memo)


def _encode(value: Any, depth: int, memo: ArrayMemo | None = None) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return {"i": str(value)}
    if kind is float:
        return {"f": value if math.isfinite(value) else repr(value)}
    if kind is list or kind is tuple:
        tag = "l" if kind is list else "t"
        return {tag: [_encode(item, depth + 1, memo) for item in value]}
    if kind is dict:
        return {
            "d": [
                [_encode(k, depth + 1, memo), _encode(v, depth + 1, memo)] for k, v in value.items()
            ]
        }
    native = _native_dtype(value.dtype) if isinstance(value, np.ndarray | np.generic) else None
    if native is not None:  # big-endian data travels in native order
        array = np.array(np.asarray(value).view(np.ndarray), dtype=native, order="C", copy=True)
        tree = {"a": native.name, "s": list(array.shape), "0": isinstance(value, np.generic)}
        if memo is not None and isinstance(value, np.ndarray) and memo.worth(array):
            digest = array_digest(array)
            if memo.recall(digest) is not None:
                return {"r": digest}
            memo.remember(digest, array)
            tree["h"] = digest
        tree["b"] = base64.b64encode(array.tobytes()).decode("ascii")
        return tree
    if isinstance(value, np.ndarray):
        return {"x": f"numpy array of dtype {value.dtype}"}
    return {"x": f"{kind.__module__}.{kind.__qualname__}"}


class Unsupported:
    """Stands for a value of a type the wire cannot carry (a function, an object, ...)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unsupported) and other.type_name == self.type_name

    def __hash__(self) -> int:
        return hash(self.type_name)


def decode(tree: Any, memo: ArrayMemo | None = None) -> Any:
    """Rebuild a value from its tagged form, enforcing the caps (with `memo`, array
    references resolve to arrays seen before in the same exchange; each use is a copy)."""
    budget = [MAX_ITEMS]
    try:
        return _decode(tree, 0, budget, memo)
    except (ValueError, TypeError, OverflowError, UnicodeError) as exc:
        raise WireError(f"malformed value: {exc}") from exc


def _decode(tree: Any, depth: int, budget: list[int], memo: ArrayMemo | None = None) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    budget[0] -= 1
    if budget[0] < 0:
        raise WireError("too many values in one message")
    if tree is None or isinstance(tree, bool | str):
        return tree
    if not isinstance(tree, dict) or len(tree) == 0:
        raise WireError(f"unexpected element {type(tree).__name__}")
    if "i" in tree:
        digits = tree["i"]
        if not isinstance(digits, str) or len(digits) > MAX_INT_DIGITS:
            raise WireError("bad integer")
        return int(digits)
    if "f" in tree:
        return _decode_float(tree["f"])
    if "l" in tree or "t" in tree:
        items = tree.get("l", tree.get("t"))
        if not isinstance(items, list):
            raise WireError("bad sequence")
        decoded = [_decode(item, depth + 1, budget, memo) for item in items]
        return decoded if "l" in tree else tuple(decoded)
    if "d" in tree:
        return _decode_dict(tree["d"], depth, budget, memo)
    if "a" in tree:
        return _decode_array(tree, budget, memo)
    if "r" in tree:
        known = memo.recall(tree["r"]) if memo is not None and isinstance(tree["r"], str) else None
        if known is None:
            raise WireError("reference to an unknown array")
        budget[0] -= known.size // 1024
        return known.copy()
    if "x" in tree and isinstance(tree["x"], str):
        return Unsupported(tree["x"][:200])
    raise WireError("unknown tag")


def _decode_float(raw: Any) -> float:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    if raw in ("nan", "inf", "-inf"):
        return float(raw)
    raise WireError("bad float")


def _decode_dict(
    pairs: Any, depth: int, budget: list[int], memo: ArrayMemo | None = None
) -> dict[Any, Any]:
    if not isinstance(pairs, list):
        raise WireError("bad dict")
    result: dict[Any, Any] = {}
    for pair in pairs:
        if not isinstance(pair, list) or len(pair) != 2:
            raise WireError("bad dict entry")
        key = _decode(pair[0], depth + 1, budget, memo)
        if not isinstance(key, str | int | float | bool | tuple) and key is not None:
            raise WireError("unhashable dict key")
        try:
            result[key] = _decode(pair[1], depth + 1, budget, memo)
        except TypeError as exc:  # a tuple key holding an array
            raise WireError("unhashable dict key") from exc
    return result


def _decode_array(tree: dict[str, Any], budget: list[int], memo: ArrayMemo | None = None) -> Any:
    dtype_name, shape, data = tree.get("a"), tree.get("s"), tree.get("b")
    if dtype_name not in ALLOWED_DTYPES:
        raise WireError(f"array dtype {str(dtype_name)[:40]!r} is not allowed")
    if (
        not isinstance(shape, list)
        or len(shape) > MAX_ARRAY_DIMS
        or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape)
    ):
        raise WireError("bad array shape")
    if not isinstance(data, str):
        raise WireError("bad array data")
    dtype = _DTYPES[dtype_name]
    count = math.prod(shape)
    if count * dtype.itemsize > MAX_MESSAGE_BYTES:
        raise WireError("array too large")
    raw = base64.b64decode(data.encode("ascii"), validate=True)
    if len(raw) != count * dtype.itemsize:
        raise WireError("array data does not match its shape")
    budget[0] -= count // 1024
    array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if tree.get("0") is True and array.ndim == 0:
        return array[()]
    if memo is not None and "h" in tree and memo.worth(array):
        if tree["h"] != array_digest(array):
            raise WireError("array digest does not match its data")
        memo.remember(str(tree["h"]), array.copy())
    return array


_DTYPES = {name: np.dtype(name) for name in ALLOWED_DTYPES}


def dumps(message: Any) -> bytes:
    """Frame an already-encoded message: length prefix + JSON."""
    body = json.dumps(message, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if len(body) > MAX_MESSAGE_BYTES:
        raise WireError("message too large")
    return _HEADER.pack(len(body)) + body


def send(fd: int, message: Any) -> None:
    """Write one framed message to a file descriptor."""
    write_all(fd, dumps(message))


def write_all(fd: int, data: bytes) -> None:
    """Write already-framed bytes to a file descriptor, all of them."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exactly(fd: int, count: int) -> bytes:
    """Read `count` bytes or raise EOFError."""
    chunks = []
    while count:
        chunk = os.read(fd, min(count, 1 << 20))
        if not chunk:
            raise EOFError("channel closed")
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def parse_header(header: bytes) -> int:
    """Length of the body that follows a 4-byte header, checked against the cap."""
    (length,) = _HEADER.unpack(header)
    if length > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {length} bytes exceeds the cap")
    return int(length)


def parse_body(body: bytes) -> Any:
    """Parse a message body into JSON (still tagged)."""
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeError included
        raise WireError(f"malformed message: {exc}") from exc


def _reject_constant(name: str) -> Any:
    raise WireError(f"non-standard JSON constant {name}")


def receive(fd: int) -> Any:
    """Block until one message arrives (trusted side use only: no timeout here)."""
    length = parse_header(read_exactly(fd, _HEADER.size))
    return parse_body(read_exactly(fd, length))
