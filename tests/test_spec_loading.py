"""Specs are read strictly, and instructors' own assignment folders are found, shadow the
bundled ones and stay hidden from the sandbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.resources import ASSIGNMENTS_PATH_ENV, secret_paths
from grader.spec.load import find_assignment, list_assignments, load_assignment, reference_path
from grader.spec.model import AssignmentError, UnknownAssignment
from grader.spec.options import CompareOptions, PropertyOptions

REPO = Path(__file__).resolve().parent.parent


def own_copy(tmp_path: Path, assignment_id: str = "logistic_regression", as_id: str = "") -> Path:
    """A folder of assignments holding a copy of a bundled one (reference inside it)."""
    folder = tmp_path / "mycourse"
    target = folder / (as_id or assignment_id)
    shutil.copytree(REPO / "assignments" / assignment_id, target)
    shutil.copy(REPO / "reference_solutions" / f"{assignment_id}.py", target / "reference.py")
    if as_id:
        spec = target / "assignment.toml"
        spec.write_text(spec.read_text().replace(f'id = "{assignment_id}"', f'id = "{as_id}"'))
    return folder


def test_options_are_typed_with_their_defaults() -> None:
    """Does each task get its kind's options dataclass, with the spec's values?"""
    tasks = {task.name: task for task in load_assignment("two_layer_net").tasks}
    assert isinstance(tasks["update_parameters"].options, CompareOptions)
    assert tasks["update_parameters"].options.mutation == "fail"
    assert tasks["layer_sizes"].options == CompareOptions()
    assert isinstance(tasks["nn_model"].options, PropertyOptions)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("hiden_cases = 5", "unknown key 'hiden_cases' (did you mean 'hidden_cases'?)"),
        ("mutaton = 'fail'", "unknown key 'mutaton' (did you mean 'mutation'?)"),
        ("kind = 'compair'", "unknown task kind 'compair' (did you mean 'compare'?)"),
        ("mutation = 'sometimes'", "mutation must be one of"),
    ],
)
def test_a_typo_in_a_task_is_an_error_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, words: str
) -> None:
    """Is a misspelt key, kind or value refused with the closest right one named?"""
    folder = own_copy(tmp_path)
    spec = folder / "logistic_regression" / "assignment.toml"
    spec.write_text(spec.read_text().replace('name = "sigmoid"\n', f'name = "sigmoid"\n{line}\n'))
    monkeypatch.setenv(ASSIGNMENTS_PATH_ENV, str(folder))
    with pytest.raises(AssignmentError, match="task 'sigmoid'") as caught:
        load_assignment("logistic_regression")
    assert words in str(caught.value)


def test_a_typo_at_the_top_or_in_the_limits_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Are unknown top-level and [limits] keys refused too?"""
    folder = own_copy(tmp_path)
    spec = folder / "logistic_regression" / "assignment.toml"
    text = spec.read_text()
    monkeypatch.setenv(ASSIGNMENTS_PATH_ENV, str(folder))
    spec.write_text(text.replace("public_seed = 1", "public_seed = 1\nhiden_seed = 3"))
    with pytest.raises(AssignmentError, match="did you mean 'hidden_seed'"):
        load_assignment("logistic_regression")
    spec.write_text(text.replace("cell_seconds = 10", "cell_second = 10"))
    with pytest.raises(AssignmentError, match=r"\[limits\].*did you mean 'cell_seconds'"):
        load_assignment("logistic_regression")


def test_an_own_folder_is_searched_first_and_shadows_the_bundled_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does an instructor's assignment of a bundled id win, and say which one it replaces?"""
    folder = own_copy(tmp_path)
    monkeypatch.setenv(ASSIGNMENTS_PATH_ENV, str(folder))
    directory, shadowed = find_assignment("logistic_regression")
    assert directory == folder / "logistic_regression"
    assert shadowed == [REPO / "assignments" / "logistic_regression"]
    assignment = load_assignment("logistic_regression")
    assert assignment.shadows == (REPO / "assignments" / "logistic_regression",)
    assert reference_path(assignment) == folder / "logistic_regression" / "reference.py"
    ids = [a.id for a in list_assignments()]
    assert ids.count("logistic_regression") == 1


def test_an_own_assignment_of_a_new_id_is_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is a new id in an own folder listed beside the bundled ones, and its folder hidden
    from the sandbox?"""
    folder = own_copy(tmp_path, as_id="my_lr")
    monkeypatch.setenv(ASSIGNMENTS_PATH_ENV, str(folder))
    assert "my_lr" in [a.id for a in list_assignments()]
    assert folder.resolve() in secret_paths()


def test_an_unknown_id_is_a_usage_error_listing_the_known_ones() -> None:
    """Does an unknown id raise UnknownAssignment (exit 2 at the command line)?"""
    with pytest.raises(UnknownAssignment, match="known: activations"):
        load_assignment("logistic_regresion")
    with pytest.raises(UnknownAssignment):
        load_assignment("../assignments/logistic_regression")


def test_a_folder_whose_id_differs_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is a spec whose id is not its folder's name refused (results would be misfiled)?"""
    folder = own_copy(tmp_path)
    (folder / "logistic_regression").rename(folder / "lr2")
    monkeypatch.setenv(ASSIGNMENTS_PATH_ENV, str(folder))
    with pytest.raises(AssignmentError, match="its id is 'logistic_regression'"):
        load_assignment("lr2")


def test_another_checkout_on_the_path_is_neither_shown_nor_its_answers_left_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second source checkout of the grader on sys.path (its editable install runs this
    one) is left out of the sandbox's root, and its answers are among the hidden paths."""
    import importlib.util
    import sys

    other = tmp_path / "other-checkout"
    (other / "grader" / "sandbox").mkdir(parents=True)
    (other / "reference_solutions").mkdir()
    (other / "pyproject.toml").write_text("[project]\nname = 'grader'\n")
    monkeypatch.setattr(sys, "path", [*sys.path, str(other)])
    hidden = secret_paths()
    assert other / "grader" in hidden and other / "reference_solutions" in hidden
    spec = importlib.util.spec_from_file_location(
        "rootfs_under_test", Path(__file__).parent.parent / "grader" / "sandbox" / "rootfs.py"
    )
    assert spec is not None and spec.loader is not None
    rootfs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rootfs)
    assert str(other) not in rootfs.allowed_paths(str(tmp_path / "work"), None)
