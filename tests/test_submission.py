"""Tests for loading submissions: notebooks of every vintage, scripts, and broken files."""

from __future__ import annotations

import hashlib
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any

import nbformat
import pytest

from grader.notebook.submission import (
    MAX_CELLS,
    MAX_JSON_CONTAINERS,
    MAX_JSON_VALUES,
    MAX_NOTEBOOK_BYTES,
    MAX_SOURCE_BYTES,
    NO_CODE_CELLS,
    NO_CODE_IN_SCRIPT,
    NOT_A_NOTEBOOK,
    ONLY_COMMENTS,
    TOO_COMPLEX,
    Cell,
    SubmissionKind,
    load_submission,
)


def write_notebook(path: Path, notebook: Any) -> Path:
    """Write a notebook node or a plain JSON structure to `path`."""
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def v4_notebook(*cells: Any, metadata: dict[str, Any] | None = None) -> Any:
    """A valid v4 notebook with the given cells."""
    return nbformat.v4.new_notebook(cells=list(cells), metadata=metadata or {})


def code(source: str, **kwargs: Any) -> Any:
    """A v4 code cell."""
    return nbformat.v4.new_code_cell(source, **kwargs)


def markdown(source: str) -> Any:
    """A v4 markdown cell."""
    return nbformat.v4.new_markdown_cell(source)


def minimal_cell(cell_type: str = "code", source: str = "x = 1") -> dict[str, Any]:
    """A cell as a plain dict, cheaper than nbformat's constructors for big notebooks."""
    cell: dict[str, Any] = {"cell_type": cell_type, "metadata": {}, "source": source}
    if cell_type == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def plain_notebook(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """A v4.4 notebook (no cell ids needed) as a plain dict."""
    return {"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": cells}


# --- notebooks ---------------------------------------------------------------------------------


def test_v4_notebook(tmp_path: Path) -> None:
    """Is a v4 notebook read into its code cells, numbered among all cells?"""
    path = write_notebook(
        tmp_path / "hw.ipynb",
        v4_notebook(markdown("# Title"), code("import numpy as np"), markdown("text"), code("x=1")),
    )
    submission = load_submission(path)
    assert submission.error is None
    assert submission.ok
    assert submission.kind == "ipynb"
    assert submission.kind is SubmissionKind.IPYNB
    assert submission.cells == (Cell(1, "import numpy as np"), Cell(3, "x=1"))
    assert submission.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert submission.notes == ()
    assert submission.path == path


def test_v3_notebook_is_upgraded(tmp_path: Path) -> None:
    """Is a v3 notebook (worksheets, `input` as a list of lines) upgraded and graded?"""
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": "hw"},
        "worksheets": [
            {
                "metadata": {},
                "cells": [
                    {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Title"]},
                    {
                        "cell_type": "code",
                        "collapsed": False,
                        "input": ["def f(x):\n", "    return x + 1"],
                        "language": "python",
                        "metadata": {},
                        "outputs": [{"output_type": "stream", "stream": "stdout", "text": ["hi"]}],
                        "prompt_number": 1,
                    },
                ],
            }
        ],
    }
    submission = load_submission(write_notebook(tmp_path / "old.ipynb", v3))
    assert submission.error is None
    assert submission.cells == (Cell(1, "def f(x):\n    return x + 1"),)
    assert submission.notes == ()


def test_list_sources_are_joined(tmp_path: Path) -> None:
    """Is a v4 source stored as a list of lines joined into one string?"""
    cell = minimal_cell(source=["a = 1\n", "b = 2\n"])  # type: ignore[arg-type]
    submission = load_submission(write_notebook(tmp_path / "n.ipynb", plain_notebook([cell])))
    assert submission.cells == (Cell(0, "a = 1\nb = 2\n"),)


def test_malformed_json(tmp_path: Path) -> None:
    """Does a notebook that is not valid JSON say where it breaks and what to do?"""
    path = tmp_path / "broken.ipynb"
    path.write_text('{\n "cells": [],\n "nbformat" 4\n}', encoding="utf-8")
    submission = load_submission(path)
    assert submission.error is not None
    assert submission.error.startswith("The file is not valid JSON (line 3, column 13)")
    assert "File > Download" in submission.error
    assert submission.cells == ()
    assert submission.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "content",
    [[1, 2, 3], {"hello": "world"}, "a string", 42, None, {"cells": []}],
    ids=["list", "object", "string", "number", "null", "no-version"],
)
def test_json_that_is_not_a_notebook(tmp_path: Path, content: Any) -> None:
    """Is valid JSON of the wrong shape refused as not a notebook?"""
    submission = load_submission(write_notebook(tmp_path / "x.ipynb", content))
    assert submission.error == NOT_A_NOTEBOOK


@pytest.mark.parametrize("version", [0, 5, "4", 4.0, True, None])
def test_unknown_format_version(tmp_path: Path, version: Any) -> None:
    """Is a notebook format version nbformat does not know refused with its value?"""
    notebook = {"nbformat": version, "nbformat_minor": 0, "metadata": {}, "cells": []}
    submission = load_submission(write_notebook(tmp_path / "x.ipynb", notebook))
    assert submission.error is not None
    assert f"format version {version!r}" in submission.error


@pytest.mark.parametrize(
    "cells",
    [[], [code("")], [code("   \n\t\n"), code("")], [markdown("# Only text"), markdown("more")]],
    ids=["no-cells", "one-blank", "only-blank", "only-markdown"],
)
def test_notebook_without_code(tmp_path: Path, cells: list[Any]) -> None:
    """Does a notebook with no code, or only blank code cells, say there is nothing to grade?"""
    submission = load_submission(write_notebook(tmp_path / "e.ipynb", v4_notebook(*cells)))
    assert submission.error == NO_CODE_CELLS
    assert submission.cells == ()


def test_a_notebook_of_comments_only_is_not_graded(tmp_path: Path) -> None:
    """Is a notebook whose code cells hold only comments (the empty handout a student saved
    without writing anything) invalid, not "graded" with every function missing, while one
    line of code is enough to be graded?"""
    empty = v4_notebook(code("# YOUR CODE HERE\n"), code("  # nothing yet\n\n"), markdown("x"))
    submission = load_submission(write_notebook(tmp_path / "c.ipynb", empty))
    assert submission.error == ONLY_COMMENTS and submission.cells == ()
    some = v4_notebook(code("# YOUR CODE HERE\n"), code("%matplotlib inline"))
    assert load_submission(write_notebook(tmp_path / "d.ipynb", some)).error is None


def test_blank_cells_are_dropped_but_counted(tmp_path: Path) -> None:
    """Are blank code cells dropped while the other cells keep their positions?"""
    path = write_notebook(tmp_path / "b.ipynb", v4_notebook(code(""), code(" \n"), code("y = 2")))
    assert load_submission(path).cells == (Cell(2, "y = 2"),)


def huge_output_cell(source: str, megabytes: int) -> Any:
    """A code cell with a stream output and an image output of about `megabytes` MB."""
    text = nbformat.v4.new_output("stream", name="stdout", text="x" * (megabytes * 500_000))
    image = nbformat.v4.new_output("display_data", data={"image/png": "A" * (megabytes * 500_000)})
    return code(source, outputs=[text, image], execution_count=1)


def test_huge_outputs_are_ignored(tmp_path: Path) -> None:
    """Is a notebook with huge outputs graded on its code cells alone?"""
    notebook = v4_notebook(huge_output_cell("a = 1", 10), markdown("m"), huge_output_cell("b", 10))
    submission = load_submission(write_notebook(tmp_path / "big.ipynb", notebook))
    assert submission.error is None
    assert submission.cells == (Cell(0, "a = 1"), Cell(2, "b"))


def test_outputs_are_dropped_while_parsing(tmp_path: Path) -> None:
    """Are outputs freed as the file is parsed, so memory stays near the file's own size?"""
    # Thousands of small outputs: as Python objects they take many times their JSON size.
    outputs = [{"name": "stdout", "output_type": "stream", "text": "loss 0.1\n"}] * 3_000
    cells = [{**minimal_cell(source=f"x = {i}"), "outputs": outputs} for i in range(30)]
    path = write_notebook(tmp_path / "many-outputs.ipynb", plain_notebook(cells))
    size = path.stat().st_size
    load_submission(path)  # warm up: nbformat compiles its schema on first use
    tracemalloc.start()
    try:
        submission = load_submission(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert submission.error is None
    assert len(submission.cells) == 30
    # The bytes and the decoded text are held together for a moment: 2 x size. Keeping the
    # outputs would cost about 14 x size; reading with the 50 MB cap as the buffer, 8 x size.
    assert peak < 3 * size


@pytest.mark.parametrize(
    "junk",
    [[0] * (MAX_JSON_VALUES + 1), [[]] * (MAX_JSON_CONTAINERS + 1), "," * (MAX_JSON_VALUES + 1)],
    ids=["many-values", "many-lists", "commas-in-text"],
)
def test_json_bomb_is_refused_before_parsing(tmp_path: Path, junk: Any) -> None:
    """Is a notebook holding millions of tiny values refused before it can fill memory?"""
    notebook = plain_notebook([minimal_cell()])
    notebook["metadata"] = {"junk": junk}
    submission = load_submission(write_notebook(tmp_path / "bomb.ipynb", notebook))
    assert submission.error == TOO_COMPLEX


def test_too_many_cells(tmp_path: Path) -> None:
    """Is a notebook with more cells than the cap refused, counting markdown cells too?"""
    cells = [minimal_cell("markdown", "m") for _ in range(MAX_CELLS)] + [minimal_cell()]
    submission = load_submission(write_notebook(tmp_path / "many.ipynb", plain_notebook(cells)))
    assert submission.error is not None
    assert f"more than {MAX_CELLS:,} cells" in submission.error


def test_as_many_cells_as_the_cap(tmp_path: Path) -> None:
    """Is a notebook with exactly the cap of cells still graded?"""
    cells = [minimal_cell(source=f"x = {i}") for i in range(MAX_CELLS)]
    submission = load_submission(write_notebook(tmp_path / "cap.ipynb", plain_notebook(cells)))
    assert submission.error is None
    assert len(submission.cells) == MAX_CELLS


def test_too_much_code(tmp_path: Path) -> None:
    """Is a notebook whose code cells exceed the source cap refused?"""
    half = "#" * (MAX_SOURCE_BYTES // 2)
    cells = [minimal_cell(source=half), minimal_cell(source=half + "##")]
    submission = load_submission(write_notebook(tmp_path / "code.ipynb", plain_notebook(cells)))
    assert submission.error is not None
    assert "code cells hold more than 5 MB" in submission.error


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    """Is a file over the size cap refused without being read, and with no digest?"""
    path = tmp_path / "huge.ipynb"
    with path.open("wb") as handle:
        handle.truncate(MAX_NOTEBOOK_BYTES + 1)  # sparse: costs no disk
    submission = load_submission(path)
    assert submission.error is not None
    assert "over the grader's 50 MB limit" in submission.error
    assert submission.sha256 == ""


def test_non_utf8_bytes(tmp_path: Path) -> None:
    """Does a file that is not UTF-8 say so, and where?"""
    path = tmp_path / "latin1.ipynb"
    path.write_bytes(b'{"cells": ["caf\xe9"]}')
    submission = load_submission(path)
    assert submission.error is not None
    assert "not UTF-8 text (an invalid byte at position 15)" in submission.error


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """Is a notebook saved with a UTF-8 byte-order mark still read?"""
    path = tmp_path / "bom.ipynb"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(v4_notebook(code("x = 1"))).encode())
    assert load_submission(path).cells == (Cell(0, "x = 1"),)


def test_lone_surrogate_in_source(tmp_path: Path) -> None:
    """Is code holding an unpaired surrogate escape refused instead of crashing later?"""
    path = tmp_path / "s.ipynb"
    path.write_text(json.dumps(plain_notebook([minimal_cell(source="x = '\ud800'")])))
    submission = load_submission(path)
    assert submission.error is not None
    assert "Cell 0 contains characters that are not valid text" in submission.error


def test_invalid_but_usable_notebook_is_recovered(tmp_path: Path) -> None:
    """Is a notebook that fails validation but has readable cells graded, with a note?"""
    cell = {"cell_type": "code", "source": "x = 1", "metadata": {}}  # no outputs, no count
    notebook = plain_notebook([cell, {"cell_type": "unknown-kind", "source": "?"}])
    submission = load_submission(write_notebook(tmp_path / "hand-edited.ipynb", notebook))
    assert submission.error is None
    assert submission.cells == (Cell(0, "x = 1"),)
    assert len(submission.notes) == 1
    assert "recovered and graded" in submission.notes[0]


def test_a_deferred_format_check_gives_the_same_note(tmp_path: Path) -> None:
    """Validated in the background (as grading does, to start sooner), the same notebook gets
    the same note once `with_format_notes` has waited for it; a valid one gets none."""
    cell = {"cell_type": "code", "source": "x = 1", "metadata": {}}
    path = write_notebook(tmp_path / "hand-edited.ipynb", plain_notebook([cell]))
    deferred = load_submission(path, defer_format_check=True)
    assert deferred.notes == () and deferred.format_check is not None
    assert deferred.with_format_notes().notes == load_submission(path).notes != ()
    valid = write_notebook(tmp_path / "valid.ipynb", plain_notebook([minimal_cell()]))
    assert load_submission(valid, defer_format_check=True).with_format_notes().notes == ()


@pytest.mark.parametrize(
    "cells",
    [[1], [{"source": "x = 1"}], [{"cell_type": "code", "source": 5, "metadata": {}}]],
    ids=["not-an-object", "no-type", "source-not-text"],
)
def test_unusable_cells_are_an_error(tmp_path: Path, cells: list[Any]) -> None:
    """Is a notebook whose cells cannot be read refused as damaged?"""
    submission = load_submission(write_notebook(tmp_path / "d.ipynb", plain_notebook(cells)))
    assert submission.error is not None
    assert "damaged" in submission.error
    assert submission.cells == ()


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"grader": {"assignment": "logreg"}}, "logreg"),
        ({"assignment": " logreg "}, "logreg"),
        ({"otter": {"assignment_name": "lab01"}}, "lab01"),
        ({"grader": {"assignment": "first"}, "assignment": "second"}, "first"),
        ({"grader": {"assignment": ""}, "otter": {"assignment_name": "lab01"}}, "lab01"),
        ({"assignment": {"id": "nested"}}, None),
        ({"assignment": 3}, None),
        ({}, None),
    ],
)
def test_assignment_id_from_metadata(
    tmp_path: Path, metadata: dict[str, Any], expected: str | None
) -> None:
    """Is the assignment id found in notebook metadata, in order, and ignored when odd?"""
    notebook = v4_notebook(code("x = 1"), metadata=metadata)
    assert load_submission(write_notebook(tmp_path / "m.ipynb", notebook)).assignment_id == expected


# --- scripts -----------------------------------------------------------------------------------

PERCENT_SCRIPT = """\
# ---
# jupyter:
#   kernelspec: {name: python3}
# ---
# grader: assignment=logreg

# %% [markdown]
# # Logistic regression

# %%
import numpy as np

#%% Sigmoid
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# %%
"""


def test_script_with_percent_markers(tmp_path: Path) -> None:
    """Is a jupytext percent script split into cells, skipping markdown and the header?"""
    path = tmp_path / "hw.py"
    path.write_text(PERCENT_SCRIPT, encoding="utf-8")
    submission = load_submission(path)
    assert submission.error is None
    assert submission.kind is SubmissionKind.PY
    assert submission.assignment_id == "logreg"
    assert submission.cells == (
        Cell(1, "import numpy as np"),
        Cell(2, "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))"),
    )


def test_script_from_nbconvert(tmp_path: Path) -> None:
    """Is a script exported by nbconvert split at its `# In[ ]:` markers?"""
    script = (
        "#!/usr/bin/env python\n# coding: utf-8\n\n# In[1]:\n\n\nx = 1\n\n\n# In[ ]:\n\n\ny = 2\n"
    )
    path = tmp_path / "export.py"
    path.write_text(script, encoding="utf-8")
    assert load_submission(path).cells == (Cell(0, "x = 1"), Cell(1, "y = 2"))


def test_script_without_markers_is_one_cell(tmp_path: Path) -> None:
    """Is a script without markers one cell, with Windows line endings normalized?"""
    path = tmp_path / "plain.py"
    path.write_bytes(b"# my work\r\nx = 1\r\ny = 2\r\n")
    submission = load_submission(path)
    assert submission.cells == (Cell(0, "# my work\nx = 1\ny = 2"),)
    assert submission.assignment_id is None


def test_code_before_the_first_marker_is_a_cell(tmp_path: Path) -> None:
    """Is code written before the first marker kept as cell 0?"""
    path = tmp_path / "pre.py"
    path.write_text("# grader: assignment=a1\nimport math\n# %%\nx = 1\n", encoding="utf-8")
    submission = load_submission(path)
    assert submission.cells == (Cell(0, "# grader: assignment=a1\nimport math"), Cell(1, "x = 1"))
    assert submission.assignment_id == "a1"


def test_assignment_comment_after_code_is_ignored(tmp_path: Path) -> None:
    """Is an assignment comment read only from the comments before the first code?"""
    path = tmp_path / "late.py"
    path.write_text("x = 1\n# grader: assignment=a1\n", encoding="utf-8")
    assert load_submission(path).assignment_id is None


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# %%\n\n# %%\n   \n"], ids=["empty", "blank", "cells"]
)
def test_script_without_code(tmp_path: Path, text: str) -> None:
    """Does an empty script say there is nothing to grade?"""
    path = tmp_path / "empty.py"
    path.write_text(text, encoding="utf-8")
    assert load_submission(path).error == NO_CODE_IN_SCRIPT


def test_script_with_too_many_cells(tmp_path: Path) -> None:
    """Is a script with more cells than the cap refused?"""
    path = tmp_path / "many.py"
    path.write_text("# %%\nx = 1\n" * (MAX_CELLS + 1), encoding="utf-8")
    submission = load_submission(path)
    assert submission.error is not None
    assert f"more than {MAX_CELLS:,} cells" in submission.error


# --- files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["answers.txt", "hw.pdf", "notebook", "hw.ipynb.zip"])
def test_unknown_suffix(tmp_path: Path, name: str) -> None:
    """Does a file of another type list the types that are accepted?"""
    path = tmp_path / name
    path.write_text("x = 1", encoding="utf-8")
    submission = load_submission(path)
    assert submission.error is not None
    assert ".ipynb" in submission.error
    assert ".py" in submission.error
    assert submission.kind is SubmissionKind.UNKNOWN


def test_upper_case_suffix(tmp_path: Path) -> None:
    """Is HW.IPYNB read as a notebook?"""
    path = write_notebook(tmp_path / "HW.IPYNB", v4_notebook(code("x = 1")))
    assert load_submission(path).kind is SubmissionKind.IPYNB


@pytest.mark.parametrize("name", ["folder", "folder.ipynb"])
def test_directory(tmp_path: Path, name: str) -> None:
    """Is a folder refused as a folder, whatever its name?"""
    (tmp_path / name).mkdir()
    submission = load_submission(tmp_path / name)
    assert submission.error == f"{name} is a folder, not a file: submit a Jupyter notebook " + (
        "(.ipynb) or a Python script (.py)."
    )
    assert submission.sha256 == ""


@pytest.mark.parametrize("name", ["missing.ipynb", "missing.py", "not-a-dir.py/x.ipynb"])
def test_missing_file(tmp_path: Path, name: str) -> None:
    """Does a missing file give an error instead of raising FileNotFoundError?"""
    (tmp_path / "not-a-dir.py").write_text("")
    submission = load_submission(tmp_path / name)
    assert submission.error is not None
    assert "does not exist" in submission.error


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_named_pipe(tmp_path: Path) -> None:
    """Is a named pipe refused without blocking on it?"""
    os.mkfifo(tmp_path / "pipe.ipynb")
    submission = load_submission(tmp_path / "pipe.ipynb")
    assert submission.error is not None
    assert "not a regular file" in submission.error


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Does an unreadable file give an error instead of raising PermissionError?"""
    path = write_notebook(tmp_path / "locked.ipynb", v4_notebook(code("x = 1")))

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)  # chmod 0 does not stop root, who runs CI
    submission = load_submission(path)
    assert submission.error == (
        "The grader may not read locked.ipynb: ask your instructor to check its permissions."
    )
    assert submission.sha256 == ""
