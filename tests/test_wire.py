"""Tests of the wire format: faithful round trips, and hostile input that only raises WireError."""

from __future__ import annotations

import base64
import contextlib
import math
import os
import struct
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.sandbox import wire
from grader.sandbox.wire import (
    ALLOWED_DTYPES,
    MAX_ARRAY_DIMS,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    MAX_ITEMS,
    MAX_MESSAGE_BYTES,
    Unsupported,
    WireError,
    decode,
    dumps,
    encode,
    parse_body,
    parse_header,
    read_exactly,
    receive,
    send,
)


def round_trip(value: Any) -> Any:
    """Encode, frame, parse and decode `value` the way the two processes do."""
    return decode(parse_body(dumps(encode(value))[4:]))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def nested(tag: str, depth: int) -> Any:
    tree: Any = None
    for _ in range(depth):
        tree = {tag: [tree]} if tag in "lt" else {"d": [["k", tree]]}
    return tree


# --- round trips ---------------------------------------------------------------------------


SCALARS = [None, True, False, 0, -7, 2**100, -(10**300), 1.5, -0.0, 1e-308, math.inf, -math.inf]
TEXTS = ["", 'héllo ✓ \u0000 "quoted"']
CONTAINERS = [
    [1, [2.0, [3, "x"]], []],
    (1, (2.0, ("x",)), ()),
    [(1, 2), [3, (4,)], ((), [])],
    {"w": 1, 2: "two", (3, "a"): [4.0], None: None, True: False, 1.5: ()},
    {"outer": {"inner": ({"deep": [1]},)}},
]


@pytest.mark.parametrize("value", SCALARS + TEXTS + CONTAINERS, ids=lambda v: repr(v)[:30])
def test_plain_values_round_trip_with_their_types(value: Any) -> None:
    """Do plain values (and tuple vs list, bool vs int, -0.0) survive the trip exactly?"""
    result = round_trip(value)
    assert repr(result) == repr(value)
    assert result == value


def test_nan_round_trips() -> None:
    """Does a NaN float arrive as a NaN float?"""
    result = round_trip([float("nan")])[0]
    assert type(result) is float and math.isnan(result)


@pytest.mark.parametrize("dtype", sorted(ALLOWED_DTYPES))
@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 3), (2, 0, 4), (1, 1, 1, 2)], ids=str)
def test_arrays_of_every_allowed_dtype_round_trip(dtype: str, shape: tuple[int, ...]) -> None:
    """Does an array of each allowed dtype and shape (0-d and empty too) arrive unchanged?"""
    array = (np.arange(math.prod(shape)) % 7).reshape(shape).astype(dtype)
    result = round_trip(array)
    assert type(result) is np.ndarray
    assert result.dtype == array.dtype and result.shape == array.shape
    assert np.array_equal(result, array)
    assert result.flags.writeable


def test_float_arrays_keep_special_values() -> None:
    """Do NaN, ±inf, -0.0 and extreme values inside a float array arrive bit for bit?"""
    array = np.array([np.nan, np.inf, -np.inf, -0.0, 5e-324, 1.7e308])
    assert round_trip(array).tobytes() == array.tobytes()


@pytest.mark.parametrize(
    "make_view",
    [
        lambda a: a.T,
        lambda a: np.asfortranarray(a),
        lambda a: a[::2, ::-1],
        lambda a: a[:, 1],
        lambda a: np.broadcast_to(a[0], (4, 6)),
        lambda a: a.reshape(2, 3, 4).swapaxes(0, 2),
    ],
    ids=["transposed", "fortran", "strided", "column", "broadcast", "swapaxes"],
)
def test_non_contiguous_views_round_trip(make_view: Any) -> None:
    """Does a transposed, Fortran-order or strided view arrive with its logical values?"""
    view = make_view(np.arange(24.0).reshape(4, 6))
    result = round_trip(view)
    assert result.shape == view.shape
    assert np.array_equal(result, view)


@pytest.mark.parametrize("dtype", [">i4", ">f8", ">u2", ">f4"])
def test_non_native_byte_order_arrays_keep_their_values(dtype: str) -> None:
    """Does a big-endian array (as h5py may hand out) arrive with the same numbers?"""
    array = np.arange(5, dtype=dtype)
    result = round_trip(array)
    assert result.tolist() == array.tolist()


NUMPY_SCALARS = [np.float64(1.5), np.float32(-2.25), np.float16(0.5), np.int64(-(2**40))]
NUMPY_SCALARS += [np.int8(-3), np.uint8(200), np.uint64(2**64 - 1), np.bool_(True)]


@pytest.mark.parametrize("scalar", NUMPY_SCALARS, ids=repr)
def test_numpy_scalars_arrive_as_numpy_scalars(scalar: Any) -> None:
    """Does a numpy scalar arrive as the same numpy scalar type, not as a 0-d array?"""
    result = round_trip(scalar)
    assert type(result) is type(scalar)
    assert result == scalar


def test_zero_d_array_stays_an_array() -> None:
    """Does a 0-d array arrive as a 0-d array, not as a scalar?"""
    result = round_trip(np.array(2.5))
    assert type(result) is np.ndarray and result.shape == () and result == 2.5


class TaggedArray(np.ndarray):
    """A student-made ndarray subclass."""


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
@pytest.mark.parametrize("kind", ["custom", "matrix", "masked"])
def test_array_subclasses_arrive_as_plain_arrays(kind: str) -> None:
    """Does an ndarray subclass (np.matrix, a custom one) arrive as a plain ndarray?"""
    base = np.arange(6.0).reshape(2, 3)
    value = {
        "custom": base.view(TaggedArray),
        "matrix": np.matrix(base),
        "masked": np.ma.masked_array(base),
    }[kind]
    result = round_trip(value)
    assert type(result) is np.ndarray
    assert np.array_equal(result, base)


class Thing:
    """An arbitrary student object."""


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        (lambda: 1, "builtins.function"),
        (len, "builtins.builtin_function_or_method"),
        (np.array([1, "a"], dtype=object), "numpy array of dtype object"),
        (np.array([1 + 2j]), "numpy array of dtype complex128"),
        (np.array(["abc"]), "numpy array of dtype <U3"),
        (np.complex128(1j), "numpy.complex128"),
        (1j, "builtins.complex"),
        ({1, 2}, "builtins.set"),
        (b"bytes", "builtins.bytes"),
        (Thing(), f"{Thing.__module__}.Thing"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_unsupported_objects_arrive_as_unsupported(value: Any, type_name: str) -> None:
    """Does a value the wire cannot carry arrive as Unsupported naming its type?"""
    result = round_trip([value])[0]
    assert result == Unsupported(type_name)
    assert type_name in repr(result)


def test_encode_refuses_a_value_nested_too_deeply() -> None:
    """Does encoding a structure deeper than MAX_DEPTH raise WireError (not RecursionError)?"""
    value: Any = []
    for _ in range(MAX_DEPTH + 5):
        value = [value]
    with pytest.raises(WireError):
        encode(value)


def test_dumps_refuses_a_message_over_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Does framing a message larger than MAX_MESSAGE_BYTES raise WireError?"""
    monkeypatch.setattr(wire, "MAX_MESSAGE_BYTES", 100)
    with pytest.raises(WireError):
        dumps(encode("x" * 200))


# --- hostile decoding ----------------------------------------------------------------------

HOSTILE_TREES = {
    "bare int": 5,
    "bare float": 1.5,
    "bare list": [1],
    "empty dict": {},
    "unknown tag": {"zz": 1},
    "int not a string": {"i": 5},
    "int too many digits": {"i": "1" * (MAX_INT_DIGITS + 1)},
    **{f"int {digits!r}": {"i": digits} for digits in ["abc", "", "0x10", "1.5"]},
    "float bool": {"f": True},
    "float null": {"f": None},
    "float word": {"f": "Infinity"},
    "float huge int": {"f": 10**400},
    "list not a list": {"l": "abc"},
    "tuple not a list": {"t": {}},
    "dict not a list": {"d": "x"},
    "dict short pair": {"d": [[1]]},
    "dict list key": {"d": [[{"l": []}, None]]},
    "dict tuple key holding a list": {"d": [[{"t": [{"l": []}]}, None]]},
    "dict array key": {"d": [[{"a": "int8", "s": [1], "b": b64(b"\0")}, None]]},
    "unsupported name not a string": {"x": 5},
    **{
        f"array dtype {name!r}": {"a": name, "s": [1], "b": b64(bytes(8))}
        for name in ["object", "O", "V8", "<U3", "<f8", "complex128", None, [], {}]
    },
    "array too few bytes": {"a": "int32", "s": [3], "b": b64(bytes(8))},
    "array too many bytes": {"a": "int32", "s": [3], "b": b64(bytes(16))},
    "array negative shape": {"a": "int8", "s": [-1], "b": ""},
    "array float shape": {"a": "int8", "s": [1.5], "b": b64(b"\0")},
    "array bool shape": {"a": "int8", "s": [True], "b": b64(b"\0")},
    "array shape not a list": {"a": "int8", "s": "3", "b": b64(bytes(3))},
    "array too many dims": {"a": "int8", "s": [1] * (MAX_ARRAY_DIMS + 1), "b": b64(b"\0")},
    "array huge shape": {"a": "float64", "s": [2**40, 2**40], "b": ""},
    "array over the byte cap": {"a": "float64", "s": [MAX_MESSAGE_BYTES // 8 + 1], "b": ""},
    "array empty with huge dim": {"a": "int8", "s": [0, 10**30], "b": ""},
    "array empty with huge dims": {"a": "int8", "s": [0, 2**62, 2**62], "b": ""},
    "array data not a string": {"a": "int8", "s": [1], "b": 5},
    "array data not base64": {"a": "int8", "s": [3], "b": "!!!!"},
    "array data non-ascii": {"a": "int8", "s": [1], "b": "é"},
    "array data bad padding": {"a": "int8", "s": [1], "b": "AA"},
    "list depth bomb": nested("l", MAX_DEPTH + 2),
    "tuple depth bomb": nested("t", MAX_DEPTH + 2),
    "dict depth bomb": nested("d", MAX_DEPTH + 2),
    "too many items": {"l": [None] * (MAX_ITEMS + 1)},
    "too many items nested": {"l": [{"l": [True] * 1000}] * (MAX_ITEMS // 1000 + 1)},
}


@pytest.mark.parametrize("tree", list(HOSTILE_TREES.values()), ids=list(HOSTILE_TREES))
def test_hostile_trees_raise_wire_error(tree: Any) -> None:
    """Does every malformed or over-cap tagged tree raise WireError and nothing else?"""
    with pytest.raises(WireError):
        decode(tree)


def test_decoding_stays_within_the_caps_just_below_them() -> None:
    """Are values just inside the depth, item and digit caps still accepted?"""
    assert decode(nested("l", MAX_DEPTH)) is not None
    assert decode({"l": [None] * (MAX_ITEMS - 1)}) == [None] * (MAX_ITEMS - 1)
    assert decode({"i": "9" * MAX_INT_DIGITS}) == int("9" * MAX_INT_DIGITS)


HOSTILE_BODIES = {
    "NaN constant": b'{"f": NaN}',
    "Infinity constant": b'{"f": Infinity}',
    "-Infinity constant": b"-Infinity",
    "invalid utf-8": b'{"s": "\xff\xfe"}',
    "truncated": b'{"l": [',
    "empty": b"",
    "not json": b"hello",
    "deep brackets": b"[" * 100_000,
    "long int literal": b'{"f": ' + b"1" * 5000 + b"}",
}


@pytest.mark.parametrize("body", list(HOSTILE_BODIES.values()), ids=list(HOSTILE_BODIES))
def test_hostile_bodies_raise_wire_error(body: bytes) -> None:
    """Does a body that is not strict JSON (NaN, bad UTF-8, huge literals) raise WireError?"""
    with pytest.raises(WireError):
        decode(parse_body(body))


def test_header_over_the_cap_raises_without_reading_the_body() -> None:
    """Does a header announcing more than MAX_MESSAGE_BYTES raise WireError before any read?"""
    with pytest.raises(WireError):
        parse_header(struct.pack(">I", MAX_MESSAGE_BYTES + 1))
    assert parse_header(struct.pack(">I", MAX_MESSAGE_BYTES)) == MAX_MESSAGE_BYTES
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, struct.pack(">I", 2**32 - 1))
        os.close(write_fd)  # if receive read on it would see EOFError, not WireError
        with pytest.raises(WireError):
            receive(read_fd)
    finally:
        os.close(read_fd)


JSON_TAGS = st.sampled_from(["i", "f", "l", "t", "d", "a", "s", "b", "0", "x"])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(JSON_TAGS | st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.binary(max_size=256))
def test_arbitrary_bytes_raise_only_wire_error(body: bytes) -> None:
    """Do arbitrary bytes as a message body either decode or raise WireError?"""
    with contextlib.suppress(WireError):
        decode(parse_body(body))


@settings(max_examples=300, deadline=None, database=None)
@given(JSON_VALUES)
def test_arbitrary_json_values_raise_only_wire_error(tree: Any) -> None:
    """Do arbitrary JSON values (biased toward the tags) either decode or raise WireError?"""
    with contextlib.suppress(WireError):
        decode(tree)


ARRAY_TREES = st.fixed_dictionaries(
    {
        "a": st.sampled_from(sorted(ALLOWED_DTYPES)) | JSON_VALUES,
        "s": st.lists(st.integers(min_value=-2, max_value=2**64), max_size=4) | JSON_VALUES,
        "b": st.binary(max_size=24).map(b64) | st.text(max_size=8) | JSON_VALUES,
    },
    optional={"0": JSON_VALUES},
)


@settings(max_examples=300, deadline=None, database=None)
@given(ARRAY_TREES)
def test_arbitrary_array_trees_raise_only_wire_error(tree: Any) -> None:
    """Do array-tagged trees with arbitrary dtype, shape and data decode or raise WireError?"""
    with contextlib.suppress(WireError):
        decode(tree)


# --- file-descriptor helpers ---------------------------------------------------------------


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    read_fd, write_fd = os.pipe()
    yield read_fd, write_fd
    for fd in (read_fd, write_fd):
        with contextlib.suppress(OSError):  # the test may have closed it already
            os.close(fd)


def test_send_and_receive_a_small_message(pipe: tuple[int, int]) -> None:
    """Does a small message sent on a pipe come back out of receive intact?"""
    read_fd, write_fd = pipe
    value = {"dw": np.array([[0.5], [-1.0]]), "db": 0.25, "costs": [1.0, 0.5]}
    send(write_fd, encode(value))
    result = decode(receive(read_fd))
    assert result.keys() == value.keys()
    assert np.array_equal(result["dw"], value["dw"])
    assert result["db"] == 0.25 and result["costs"] == [1.0, 0.5]


def test_send_and_receive_a_large_array_through_a_small_pipe(pipe: tuple[int, int]) -> None:
    """Does a 5 MB array arrive whole when the writer blocks on a full pipe buffer?"""
    read_fd, write_fd = pipe
    array = np.random.default_rng(0).standard_normal(5 * 2**20 // 8)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            send(write_fd, encode(array))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    result = decode(receive(read_fd))
    thread.join(timeout=30)
    assert not thread.is_alive() and not errors
    assert np.array_equal(result, array)


def test_read_exactly_raises_eof_when_the_writer_closes(pipe: tuple[int, int]) -> None:
    """Does read_exactly raise EOFError when the writer closes before the count arrives?"""
    read_fd, write_fd = pipe
    os.write(write_fd, b"abc")
    os.close(write_fd)
    assert read_exactly(read_fd, 0) == b""
    with pytest.raises(EOFError):
        read_exactly(read_fd, 4)


def test_receive_raises_eof_on_a_truncated_message(pipe: tuple[int, int]) -> None:
    """Does a message cut off mid-body raise EOFError rather than hang?"""
    read_fd, write_fd = pipe
    os.write(write_fd, dumps(encode("hello"))[:-2])
    os.close(write_fd)
    with pytest.raises(EOFError):
        receive(read_fd)
