"""Names from a class download, made safe: to print, to store, and to use as file names.

File and folder names are student input. Three functions make them harmless:

- `escape_text(text)`: what every name goes through before it is printed or stored in a
  gradebook, meta record or report. Control characters (C0, C1, DEL, so every escape
  sequence), bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), direction
  marks (U+200E/F) and every other non-printable character become `\\x..`, `\\u....` or
  `\\U........` escapes; a byte that was not valid UTF-8 in a file name (Python keeps it as a
  lone surrogate) becomes `\\x` and its value (always 80 or more, so never confused with a
  control character). The result holds printable characters only, and escaping it again
  changes nothing.
- `safe_name(name)`, `safe_file_name(name)`: an ASCII file name for one path component,
  unique by construction (the second keeps a `.ipynb` or `.py` suffix at the end).
- `student_keys(identities)`: the key each student's results are stored under.

Uniqueness by construction: a name that is already safe (letters, digits, `.`, `_`, `-`; not
starting with `.` or `-`; not a Windows device name; at most `MAX_READABLE` characters) is
used as it is. Any other name becomes its readable ASCII form, `~` and the first
`HASH_CHARS` hex digits of the SHA-256 of the original. A safe name never contains `~`, so a
hashed name never equals a name used as it is, and two different originals get different
hashes (should two 12-digit hashes ever agree, all 64 digits are used). No counter, so a key
never depends on the order of the students. Keys are at most `MAX_READABLE + 1 + 64`
(125) ASCII characters, usually 73, far under the 255 bytes a file name may have even with
`.html`, `.json` and a temporary file's affixes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict

MAX_READABLE = 60
HASH_CHARS = 12
SEPARATOR = "~"  # never in a safe name: a hashed name cannot equal a name used as it is
FALLBACK = "student"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))]
)


def escape_text(text: str) -> str:
    """`text` with every control, bidi and other non-printable character escaped."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape_char(char) for char in text)


def _escape_char(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x80:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def readable(name: str) -> str:
    """An ASCII approximation of `name`: accents dropped, anything else unsafe replaced by `_`,
    no dot, dash or underscore at either end, at most `MAX_READABLE` characters."""
    ascii_form = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("_", ascii_form)[:MAX_READABLE].strip("._-")
    return cleaned or FALLBACK


def name_hash(*parts: str, length: int = HASH_CHARS) -> str:
    """A short stable hash of `parts` (any strings, undecodable bytes included)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:length]


def is_safe(name: str) -> bool:
    """Is `name` usable as a file name as it is (and therefore never hashed)?"""
    return readable(name) == name and name.split(".")[0].upper() not in _WINDOWS_DEVICES


def safe_name(name: str) -> str:
    """`name` itself if safe, else its readable form with a hash of the original."""
    return name if is_safe(name) else f"{readable(name)}{SEPARATOR}{name_hash(name)}"


def safe_file_name(name: str, suffixes: tuple[str, ...] = (".ipynb", ".py")) -> str:
    """`safe_name` that keeps one of `suffixes` (lower-cased) at the end, so the file's kind
    still shows: `x<y.IPYNB` becomes `x_y~<hash>.ipynb`."""
    if is_safe(name):
        return name
    stem, dot, suffix = name.rpartition(".")
    kept = f".{suffix.lower()}" if dot and f".{suffix.lower()}" in suffixes else ""
    return f"{readable(stem if kept else name)}{SEPARATOR}{name_hash(name)}{kept}"


def student_keys(identities: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A unique key per (student name, LMS id).

    A safe name is its own key unless another student's name is the same apart from letter
    case (two students called `doejane` with different LMS ids, or `Alice` and `alice`, which a
    case-insensitive disk would store in one file): then each gets the hashed form, from its
    name and LMS id. Keys are unique even ignoring case.
    """
    plain: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for identity in identities:
        if is_safe(identity[0]):
            plain[identity[0].casefold()].append(identity)
    keys = {}
    for name, lms_id in identities:
        if is_safe(name) and len(plain[name.casefold()]) == 1:
            keys[(name, lms_id)] = name
        else:
            keys[(name, lms_id)] = f"{readable(name)}{SEPARATOR}{name_hash(name, lms_id)}"
    taken: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for identity, key in keys.items():
        taken[key.casefold()].append(identity)
    for clashing in (group for group in taken.values() if len(group) > 1):
        for name, lms_id in clashing:  # two short hashes agree (about 1 in 10^14): use all 64
            keys[(name, lms_id)] = (
                f"{readable(name)}{SEPARATOR}{name_hash(name, lms_id, length=64)}"
            )
    return keys
