"""Fuzz tests: whatever a student uploads, `load_submission` answers instead of raising."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.notebook.submission import Submission, load_submission

# Hypothesis runs many examples per test call, so a function-scoped `tmp_path` would be shared
# by all of them (and hypothesis warns about it): each example gets its own directory instead.


def load_written(name: str, content: bytes) -> Submission:
    """Write `content` to a fresh file called `name` and load it."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_bytes(content)
        return load_submission(path)


def assert_consistent(submission: Submission) -> None:
    """A submission is either an error with no cells or graded cells with no error."""
    assert isinstance(submission, Submission)
    if submission.error is None:
        assert submission.cells
        assert all(cell.source.strip() for cell in submission.cells)
        indices = [cell.index for cell in submission.cells]
        assert indices == sorted(set(indices))
    else:
        assert isinstance(submission.error, str)
        assert submission.error
        assert submission.cells == ()


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
sources = st.text(max_size=40) | st.lists(st.text(max_size=20), max_size=3) | json_values
odd_cells = st.fixed_dictionaries(
    {"cell_type": st.sampled_from(["code", "markdown", "raw", "heading"]) | json_values},
    optional={
        "source": sources,
        "input": sources,
        "metadata": json_values,
        "outputs": json_values,
        "execution_count": json_values,
        "id": json_values,
    },
)
plausible_cells: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {
        "cell_type": st.sampled_from(["code", "markdown"]),
        "source": st.text(max_size=40) | st.lists(st.text(max_size=20), max_size=3),
        "metadata": st.just({}),
    },
    optional={"outputs": st.just([]), "execution_count": st.none(), "input": st.text(max_size=20)},
)
cells = plausible_cells | odd_cells
cell_lists = st.lists(plausible_cells) | st.lists(cells)
v4_like = st.fixed_dictionaries(
    {"nbformat": st.just(4), "nbformat_minor": st.sampled_from([0, 4, 5]), "cells": cell_lists},
    optional={"metadata": json_values},
)
v3_code_cells: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {
        "cell_type": st.just("code"),
        "input": st.text(max_size=40) | st.lists(st.text(max_size=20), max_size=3),
        "language": st.just("python"),
        "metadata": st.just({}),
        "outputs": st.just([]),
    }
)
v3_like = st.fixed_dictionaries(
    {
        "nbformat": st.just(3),
        "nbformat_minor": st.just(0),
        "metadata": st.just({}) | json_values,
        "worksheets": st.lists(
            st.fixed_dictionaries(
                {"metadata": st.just({}), "cells": st.lists(v3_code_cells | cells, max_size=3)}
            ),
            max_size=2,
        ),
    }
)
odd_notebooks = st.fixed_dictionaries(
    {"nbformat": st.sampled_from([1, 2, 3, 4, 5, "4", None]) | json_values},
    optional={
        "nbformat_minor": st.sampled_from([0, 2, 4, 5]) | json_values,
        "metadata": json_values,
        "cells": st.lists(cells, max_size=4) | json_values,
        "worksheets": st.lists(st.fixed_dictionaries({"cells": st.lists(cells, max_size=3)})),
    },
)
notebooks = v4_like | v3_like | odd_notebooks


@settings(max_examples=200, deadline=None)
@given(content=st.binary(max_size=2_000))
def test_arbitrary_bytes_never_raise(content: bytes) -> None:
    """Do arbitrary bytes, as a notebook or a script, give a submission instead of raising?"""
    assert_consistent(load_written("fuzz.ipynb", content))
    assert_consistent(load_written("fuzz.py", content))


@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_arbitrary_json_never_raises(value: Any) -> None:
    """Does any JSON value written as a notebook give a submission instead of raising?"""
    assert_consistent(load_written("fuzz.ipynb", json.dumps(value).encode()))


@settings(max_examples=200, deadline=None)
@given(notebook=notebooks)
def test_notebook_shaped_json_never_raises(notebook: dict[str, Any]) -> None:
    """Does JSON shaped almost like a notebook give a submission instead of raising?"""
    assert_consistent(load_written("fuzz.ipynb", json.dumps(notebook).encode()))
