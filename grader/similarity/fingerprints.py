"""Winnowed k-gram fingerprints of a token stream (Schleimer, Wilkerson and Aiken, 2003: the
algorithm behind MOSS; Dolos and JPlag build on the same idea).

Every run of `k` consecutive tokens (a k-gram) is hashed with a rolling Karp-Rabin hash; of
every `window` consecutive k-gram hashes the smallest is kept (the rightmost on a tie, each
position once). Two guarantees follow: a shared run of at least `k + window - 1` tokens always
yields at least one shared fingerprint, and a shared run shorter than `k` tokens never does.

Choice for our functions (3 to 20 lines, about 15 tokens a line once normalized): `k = 10` is
about half a line, e.g. `v8 = 1 / v5 * np . sum (`, so a match means more than a shared idiom
such as `np . dot ( v1 . T`; `window = 4` guarantees that any shared line of 13 tokens or more
is seen, and keeps about 2 / (window + 1) = 40% of the k-grams. A stream shorter than `k`
(a one-line `sigmoid`) is one k-gram of its own length.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

K = 10
WINDOW = 4
_MODULUS = (1 << 61) - 1  # a Mersenne prime: the rolling hash stays exact in Python ints
_BASE = 1_000_003


@dataclass(frozen=True)
class Fingerprint:
    """A kept k-gram: its hash and the index of its first token in the stream."""

    hash: int
    start: int


def kgram_hashes(tokens: Sequence[str], k: int = K) -> list[int]:
    """The rolling hash of every k-gram of `tokens`, in order (one hash if fewer than k)."""
    if not tokens:
        return []
    k = min(k, len(tokens))
    codes = [_token_code(t) for t in tokens]
    top = pow(_BASE, k - 1, _MODULUS)
    value = 0
    for code in codes[:k]:
        value = (value * _BASE + code) % _MODULUS
    hashes = [value]
    for index in range(k, len(codes)):
        value = ((value - codes[index - k] * top) * _BASE + codes[index]) % _MODULUS
        hashes.append(value)
    return hashes


def winnow(hashes: Sequence[int], window: int = WINDOW) -> list[Fingerprint]:
    """The fingerprints MOSS keeps: the minimum of each window, rightmost on ties, each once.

    Args:
        hashes: k-gram hashes in stream order.
        window: how many consecutive hashes each choice is made from (1 keeps them all).

    Returns:
        The kept fingerprints in stream order; a stream shorter than a window keeps its minimum.
    """
    if not hashes:
        return []
    window = min(window, len(hashes))
    kept: list[Fingerprint] = []
    for end in range(window, len(hashes) + 1):
        start = end - window
        # rightmost minimum: the largest index among the smallest values
        position = min(range(start, end), key=lambda i: (hashes[i], -i))
        if not kept or kept[-1].start != position:
            kept.append(Fingerprint(hashes[position], position))
    return kept


def fingerprint_tokens(
    tokens: Sequence[str], k: int = K, window: int = WINDOW
) -> list[Fingerprint]:
    """Winnowed k-gram fingerprints of a normalized token stream."""
    return winnow(kgram_hashes(tokens, k), window)


def statement_hashes(tokens: Sequence[str], statements: Sequence[tuple[int, int]]) -> set[int]:
    """One hash per statement: its whole token run (`statements` holds `[start, end)` ranges)."""
    found = set()
    for start, end in statements:
        if end > start:
            found.update(kgram_hashes(tokens[start:end], end - start))
    return found


@lru_cache(maxsize=65536)
def _token_code(token: str) -> int:
    """A stable code per token (Python's own `hash` of a string changes between runs)."""
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=7).digest(), "big")
