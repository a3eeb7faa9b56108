"""Hostile class downloads at intake: names, zips and folders that try to break `grade batch`.

Each test builds one kind of attack in tmp_path and calls discovery directly (no grading), so
the whole file runs in seconds. The batch-level consequences (rows, gradebooks, outputs,
terminal) are in `test_outputs.py`.
"""

from __future__ import annotations

import os
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hostile_downloads import (
    FULL,
    PARTIAL,
    add_link_member,
    fifo,
    flags_of,
    patch_member,
    rename_member,
    sparse,
    write,
    write_zip,
)
from hypothesis import given
from hypothesis import strategies as st

from grader.batch import intake, unzip
from grader.batch.discover import DiscoveryError, Entry, find_submissions
from grader.batch.names import escape_text, safe_file_name, student_keys

KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
NAME_MAX = 255


def find(path: Path, workdir: Path) -> dict[str, Entry]:
    return {entry.name: entry for entry in find_submissions(path, "hw", workdir)}


def leftovers(workdir: Path) -> list[str]:
    return [str(p.relative_to(workdir)) for p in workdir.rglob("*")] if workdir.exists() else []


def one_line_refusal(archive: Path, workdir: Path, words: str) -> str:
    with pytest.raises(DiscoveryError) as caught:
        find_submissions(archive, "hw", workdir)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message and message.isprintable()
    assert leftovers(workdir) == []  # a refused zip leaves nothing in unpacked/
    return message


# --- disk and memory bombs ----------------------------------------------------------------


def test_many_entries_each_under_the_file_cap_are_refused_by_the_total_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eleven entries, each under the per-file cap, that together pass the total cap: is the
    zip refused before anything is written? (The caps are scaled down a thousandfold.)"""
    monkeypatch.setattr(unzip, "MAX_ZIP_BYTES", 2 * 1024**2)
    monkeypatch.setitem(intake.SIZE_LIMITS, ".ipynb", 210_000)
    noise = os.urandom(200_000)
    members = {f"student{i:02d}_{i}_{i}_hw.ipynb": noise for i in range(11)}
    archive = write_zip(tmp_path / "class.zip", members, zipfile.ZIP_STORED)
    one_line_refusal(archive, tmp_path / "unpacked", "unpack to more than 2 MB")


def test_a_lying_size_header_costs_no_memory(tmp_path: Path) -> None:
    """A member whose header says 1 kB but whose data inflates to 40 MB: is it refused as
    damaged, streamed in small chunks (never 40 MB in memory), and do the others unpack?"""
    archive = write_zip(
        tmp_path / "class.zip", {"alice.ipynb": bytes(40 * 1024**2), "bob.ipynb": FULL}
    )
    patch_member(archive, b"alice.ipynb", file_size=1000)
    tracemalloc.start()
    try:
        entries = find(archive, tmp_path / "unpacked")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024**2, peak
    assert entries["alice"].path is None and "damaged" in entries["alice"].refused
    assert entries["bob"].path is not None and entries["bob"].path.read_bytes() == FULL


def test_a_highly_compressed_member_is_refused_by_the_ratio_cap(tmp_path: Path) -> None:
    """30 MB of zeros in a 30 kB member (under the size cap, a 1000:1 ratio): refused while
    streaming, its partial file removed, the rest of the class unpacked?"""
    archive = write_zip(
        tmp_path / "class.zip", {"alice.ipynb": bytes(30 * 1024**2), "bob.ipynb": FULL}
    )
    entries = find(archive, tmp_path / "unpacked")
    assert "times its compressed size" in entries["alice"].refused
    assert entries["bob"].path is not None
    assert [p.name for p in (tmp_path / "unpacked").rglob("*.ipynb")] == ["bob.ipynb"]


def test_bzip2_and_lzma_members_are_not_decompressed(tmp_path: Path) -> None:
    """bzip2 and LZMA inflate without an output limit (a small member can take gigabytes of
    memory): are such members refused from their header, without decompressing?"""
    for method, word in ((zipfile.ZIP_BZIP2, "bzip2"), (zipfile.ZIP_LZMA, "LZMA")):
        archive = tmp_path / f"{word}.zip"
        with zipfile.ZipFile(archive, "w") as handle:
            handle.writestr("alice.ipynb", bytes(20 * 1024**2), compress_type=method)
            handle.writestr("bob.ipynb", FULL)
        tracemalloc.start()
        try:
            entries = find(archive, tmp_path / word)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 4 * 1024**2, peak
        assert f"({word})" in entries["alice"].refused
        assert entries["bob"].path is not None


def test_an_oversized_member_is_refused_from_its_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is a notebook over its size limit refused with the limit named, and not unpacked?"""
    monkeypatch.setitem(intake.SIZE_LIMITS, ".ipynb", 1_000_000)
    archive = write_zip(tmp_path / "c.zip", {"alice.ipynb": os.urandom(1_000_001), "bob.py": FULL})
    entries = find(archive, tmp_path / "unpacked")
    assert "1 MB limit" in entries["alice"].refused
    assert not list((tmp_path / "unpacked").rglob("alice*"))


def test_an_oversized_file_in_a_folder_is_never_read(tmp_path: Path) -> None:
    """A 60 GB (sparse) notebook in a folder: a row with the reason, found without reading it."""
    sparse(tmp_path / "class" / "alice" / "hw.ipynb", 60 * 1024**3)
    write(tmp_path / "class" / "bob.ipynb")
    tracemalloc.start()
    try:
        entries = find(tmp_path / "class", tmp_path / "unpacked")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1024**2
    assert entries["alice"].path is None and "50 MB limit" in entries["alice"].refused
    assert entries["bob"].path is not None


# --- names and zips that used to abort the class -------------------------------------------


def test_a_255_character_name_gets_a_short_key(tmp_path: Path) -> None:
    """A folder name of 255 characters: is the student found under a key that leaves room for
    `.html` and a temporary file's affixes, with the full name kept?"""
    name = "a" * 255
    write(tmp_path / "class" / name / "hw.ipynb")
    (entry,) = find_submissions(tmp_path / "class", "hw", tmp_path / "unpacked")
    assert entry.name == name and entry.path is not None
    assert len(f".{entry.student}.feedback.html.0123abcd.tmp") < NAME_MAX
    assert KEY.fullmatch(entry.student)


def test_undecodable_file_names_get_keys_and_escaped_names(tmp_path: Path) -> None:
    """Latin-1 file and folder names (not UTF-8): ASCII keys, and names with the bytes shown
    as escapes, which can be written as UTF-8?"""
    folder = tmp_path / "class"
    folder.mkdir()
    os.close(os.open(bytes(folder) + b"/Jos\xe9.ipynb", os.O_CREAT | os.O_WRONLY))
    os.makedirs(bytes(folder) + b"/M\xfcller")
    os.close(os.open(bytes(folder) + b"/M\xfcller/hw.py", os.O_CREAT | os.O_WRONLY))
    entries = find(folder, tmp_path / "unpacked")
    assert sorted(entries) == ["Jos\\xe9", "M\\xfcller"]
    for entry in entries.values():
        assert KEY.fullmatch(entry.student) and entry.path is not None
        (entry.name + entry.source + entry.student).encode("utf-8")  # no surrogates left


def test_a_zip_with_invalid_utf8_names_is_refused_in_one_line(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "class.zip", {"AAAA.ipynb": FULL, "bob.ipynb": FULL})
    rename_member(archive, b"AAAA.ipynb", b"\xff\xfeAA.ipynb")
    patch_member(archive, b"\xff\xfeAA.ipynb", flags=0x800)
    one_line_refusal(archive, tmp_path / "unpacked", "not a zip the grader can read")


def test_a_corrupt_central_directory_is_refused_in_one_line(tmp_path: Path) -> None:
    """An impossible zip version ("zip file version 13.1"), and a cut-off zip?"""
    archive = write_zip(tmp_path / "class.zip", {"alice.ipynb": FULL})
    patch_member(archive, b"alice.ipynb", version=131)
    one_line_refusal(archive, tmp_path / "unpacked", "zip file version 13.1")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(write_zip(tmp_path / "whole.zip", {"alice.ipynb": FULL}).read_bytes()[:-30])
    one_line_refusal(cut, tmp_path / "unpacked", "not a zip the grader can read")


def test_encrypted_members(tmp_path: Path) -> None:
    """One encrypted member: only that student is refused, with the reason. Every member
    encrypted: the zip is refused in one line."""
    archive = write_zip(tmp_path / "class.zip", {"alice.ipynb": FULL, "bob.ipynb": FULL})
    patch_member(archive, b"alice.ipynb", flags=flags_of(archive, b"alice.ipynb") | 0x1)
    entries = find(archive, tmp_path / "unpacked")
    assert "encrypted" in entries["alice"].refused and entries["bob"].path is not None
    patch_member(archive, b"bob.ipynb", flags=flags_of(archive, b"bob.ipynb") | 0x1)
    one_line_refusal(archive, tmp_path / "again", "none of its notebooks can be read")


def test_a_damaged_member_costs_only_its_student(tmp_path: Path) -> None:
    archive = write_zip(
        tmp_path / "class.zip", {"alice.ipynb": os.urandom(5000), "bob.ipynb": FULL}
    )
    data = bytearray(archive.read_bytes())
    data[1000:1010] = b"\xff" * 10  # inside alice's compressed data
    archive.write_bytes(bytes(data))
    entries = find(archive, tmp_path / "unpacked")
    assert "damaged" in entries["alice"].refused and entries["bob"].path is not None


# --- names that lose a student -------------------------------------------------------------


def test_names_that_clean_to_the_same_key_stay_apart(tmp_path: Path) -> None:
    """`x<y`, `x>y` and a real `x_y-1`: three students, three keys, none taken from another?"""
    for name in ("x<y", "x>y", "x_y-1"):
        write(tmp_path / "class" / f"{name}.ipynb")
    entries = find(tmp_path / "class", tmp_path / "unpacked")
    assert sorted(entries) == ["x<y", "x>y", "x_y-1"]
    assert entries["x_y-1"].student == "x_y-1"
    keys = {entry.student for entry in entries.values()}
    assert len(keys) == 3 and all(KEY.fullmatch(key) for key in keys)


def test_a_key_does_not_depend_on_order_or_on_who_else_handed_in(tmp_path: Path) -> None:
    alone = student_keys([("x<y", "")])
    crowded = student_keys([("x_y", ""), ("x>y", ""), ("x<y", ""), ("x_y-1", "")])
    assert alone[("x<y", "")] == crowded[("x<y", "")]


@given(st.lists(st.tuples(st.text(max_size=300), st.sampled_from(["", "1", "22"])), unique=True))
def test_keys_are_unique_safe_and_short_for_any_names(identities: list[tuple[str, str]]) -> None:
    """For any names and LMS ids: unique keys (ignoring case, as a Mac's disk does), ASCII
    file names with room for suffixes, the same whatever the order?"""
    keys = student_keys(identities)
    assert len({key.casefold() for key in keys.values()}) == len(identities)
    assert all(KEY.fullmatch(key) and len(key) <= 125 for key in keys.values())
    assert student_keys(list(reversed(identities))) == keys


@given(st.text(max_size=300))
def test_safe_file_names_keep_their_kind(name: str) -> None:
    safe = safe_file_name(name + ".IPYNB")
    assert safe.lower().endswith(".ipynb") and KEY.fullmatch(safe) and len(safe) < 100


def test_students_whose_files_are_all_refused_are_still_found(tmp_path: Path) -> None:
    """Hidden files, hidden folders, links, FIFOs, a folder without a notebook, an empty
    folder: does every such student get an entry that says why nothing is graded?"""
    root = tmp_path / "class"
    write(root / ".alice.ipynb")
    write(root / "bob" / ".hw.ipynb")
    write(root / "carol" / ".old" / "hw.ipynb")
    fifo(root / "dave.ipynb")
    write(root / "erin" / "hw.pdf")
    (root / "frank").mkdir()
    write(root / "gina.ipynb", FULL)
    write(root / "readme.txt")  # a loose file at the top: nobody's
    write(root / ".ipynb_checkpoints" / "gina-checkpoint.ipynb")  # a tool's: nobody's
    entries = find(root, tmp_path / "unpacked")
    assert sorted(entries) == [".alice", "bob", "carol", "dave", "erin", "frank", "gina"]
    reasons = {name: entry.refused for name, entry in entries.items()}
    assert "hidden" in reasons[".alice"] and "hidden" in reasons["bob"]
    assert "hidden" in reasons["carol"] and "not a regular file" in reasons["dave"]
    assert "found: erin/hw.pdf" in reasons["erin"] and "folder is empty" in reasons["frank"]
    assert reasons["gina"] == "" and entries["gina"].path is not None
    assert all(entry.path is None for name, entry in entries.items() if name != "gina")


def test_a_refused_file_beside_a_graded_one_is_noted(tmp_path: Path) -> None:
    write(tmp_path / "class" / "alice" / "hw.ipynb", FULL)
    write(tmp_path / "class" / "alice" / ".secret.ipynb")
    (entry,) = find_submissions(tmp_path / "class", "hw", tmp_path / "unpacked")
    assert (
        entry.source == "alice/hw.ipynb" and "not read: alice/.secret.ipynb is hidden" in entry.note
    )


# --- symlinks out of the submissions folder -----------------------------------------------


def test_links_are_never_followed(tmp_path: Path) -> None:
    """A link to the instructor's solution, a linked folder, a link to another student's file:
    each student gets the refusal, and no entry points outside the student's own files."""
    outside = tmp_path / "outside"
    solution = write(outside / "solution.ipynb", FULL)
    root = tmp_path / "class"
    write(root / "erin" / "hw.ipynb")
    (root / "alice").mkdir(parents=True)
    (root / "alice" / "hw.ipynb").symlink_to(solution)
    (root / "bob.ipynb").symlink_to(solution)
    (root / "carol").symlink_to(outside, target_is_directory=True)
    (root / "dave").mkdir()
    (root / "dave" / "hw.ipynb").symlink_to(root / "erin" / "hw.ipynb")
    entries = find(root, tmp_path / "unpacked")
    for name in ("alice", "bob", "carol", "dave"):
        assert entries[name].path is None and "symbolic link" in entries[name].refused
    assert entries["erin"].path == root / "erin" / "hw.ipynb"


# --- zip attacks that were already refused, and stay refused ------------------------------


@pytest.mark.parametrize(
    "name",
    ["../escape.ipynb", "/abs.ipynb", "a/../../escape.ipynb", "..\\escape.ipynb", "C:\\x.ipynb"],
)
def test_zip_slip_is_refused(tmp_path: Path, name: str) -> None:
    archive = write_zip(tmp_path / "evil.zip", {"bob.ipynb": FULL, name: FULL})
    one_line_refusal(archive, tmp_path / "work" / "unpacked", "unsafe path")
    assert not list(tmp_path.rglob("escape.ipynb")) and not list(tmp_path.rglob("abs.ipynb"))


def test_a_symlink_entry_in_a_zip_is_refused_not_created(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "class.zip", {"bob.ipynb": FULL})
    add_link_member(archive, "alice.ipynb", "/etc/passwd")
    entries = find(archive, tmp_path / "unpacked")
    assert "symbolic link" in entries["alice"].refused
    assert not [p for p in (tmp_path / "unpacked").rglob("*") if p.is_symlink()]
    assert [p.name for p in (tmp_path / "unpacked").rglob("*.ipynb")] == ["bob.ipynb"]


def test_a_zip_with_too_many_files_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for index in range(unzip.MAX_ZIP_FILES + 1):
            handle.writestr(f"s{index}.py", b"")
    one_line_refusal(archive, tmp_path / "unpacked", "more than 20,000 files")


@pytest.mark.parametrize("depth", [intake.MAX_DEPTH + 1, 2000])
def test_a_deeply_nested_zip_is_refused(tmp_path: Path, depth: int) -> None:
    archive = write_zip(tmp_path / "deep.zip", {"a/" * depth + "x.ipynb": FULL})
    one_line_refusal(archive, tmp_path / "unpacked", "nested more than")


def test_zip_names_are_unpacked_under_safe_names(tmp_path: Path) -> None:
    """Names no disk accepts (255 bytes of UTF-8, 300 characters, control characters) unpack
    under short ASCII names, and each student keeps the name as handed in."""
    long_name = "é" * 200 + ".ipynb"  # 406 bytes: more than any file system allows
    archive = write_zip(
        tmp_path / "class.zip",
        {long_name: FULL, "x" * 300 + "/hw.ipynb": FULL, "t\x1b[31mred\x07.ipynb": PARTIAL},
    )
    entries = find(archive, tmp_path / "unpacked")
    assert sorted(entries) == ["t\\x1b[31mred\\x07", "x" * 300, "é" * 200]
    for entry in entries.values():
        assert entry.path is not None and entry.path.is_file()
        relative = entry.path.relative_to(tmp_path / "unpacked")
        assert all(KEY.fullmatch(part) and len(part) < 100 for part in relative.parts)


def test_escape_text_leaves_nothing_a_terminal_acts_on() -> None:
    raw = "a\x1b]0;owned\x07b\u202ec\u2066d\u200fe\x9bf\udce9g\r\n\t\x00\u00a0h"
    shown = escape_text(raw)
    assert shown == (
        "a\\x1b]0;owned\\x07b\\u202ec\\u2066d\\u200fe\\u009bf\\xe9g\\x0d\\x0a\\x09\\x00\\u00a0h"
    )
    assert shown.isprintable() and escape_text(shown) == shown


@given(st.text())
def test_escaped_text_is_printable_and_stable(text: str) -> None:
    shown = escape_text(text)
    assert shown.isprintable() and escape_text(shown) == shown
