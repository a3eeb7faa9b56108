"""Common undiagnosed mistakes: students grouped by the same wrong outputs (class report)."""

from __future__ import annotations

from grader.batch.common_mistakes import find_undiagnosed, task_signature
from grader.batch.jobs import Provenance
from grader.batch.store import Stored
from grader.report.model import (
    CaseResult,
    GradeReport,
    Status,
    SubmissionStatus,
    TaskResult,
    Visibility,
)

CODE = "import numpy as np\n\ndef propagate(w, b, X, Y):\n    return w * 2\n"


def case(
    case_id: str,
    status: Status = Status.FAILED,
    digest: str | None = None,
    mistake: str | None = None,
    difference: str | None = "every value is 2x the expected",
    visibility: Visibility = Visibility.HIDDEN,
) -> CaseResult:
    passed = status is Status.PASSED
    return CaseResult(
        case_id,
        visibility,
        status,
        1.0 if passed else 0.0,
        1.0,
        message="" if passed else "wrong values",
        mistake=mistake,
        got=None if passed else "array(...)",
        got_digest=None if passed else digest,
        difference=None if passed else difference,
    )


def stored(student: str, *cases: CaseResult, task: str = "propagate") -> Stored:
    tasks = (TaskResult(task, f"{task} title", 0.0, 2.0, tuple(cases)),)
    report = GradeReport(
        "lr",
        "LR",
        "1",
        f"{student}.ipynb",
        "",
        SubmissionStatus.GRADED,
        0.0,
        2.0,
        tasks,
        code=(CODE,),
    )
    return Stored(student, Provenance(student), report)


def same_bug(student: str, task: str = "propagate") -> Stored:
    return stored(
        student,
        case("public-1", digest="p1", visibility=Visibility.PUBLIC),
        case("hidden-1", digest="aa"),
        case("hidden-2", digest="bb"),
        task=task,
    )


def test_three_students_with_the_same_wrong_outputs_form_a_group() -> None:
    """Are students whose hidden wrong outputs match on every case reported together, with
    the difference in words and one member's code of the function?"""
    found = find_undiagnosed([same_bug("cara"), same_bug("abe"), same_bug("bo")])
    (group,) = found.groups
    assert group.task == "propagate" and group.students == ("abe", "bo", "cara")
    assert group.difference == "every value is 2x the expected" and group.cases == 2
    assert group.example == "abe" and "def propagate(w, b, X, Y):" in group.code
    assert found.total == 1 and found.missing == 0


def test_two_students_are_not_a_group() -> None:
    """Is a wrong output shared by only two students left out (fewer than three)?"""
    assert find_undiagnosed([same_bug("abe"), same_bug("bo")]).groups == ()


def test_a_different_output_on_one_hidden_case_is_another_group() -> None:
    """Must the outputs match on every hidden case, not just one?"""
    other = stored("dee", case("hidden-1", digest="aa"), case("hidden-2", digest="zz"))
    found = find_undiagnosed([same_bug("abe"), same_bug("bo"), other])
    assert found.groups == ()


def test_a_named_mistake_on_any_case_takes_the_student_out() -> None:
    """Are failures a known mistake explains (on any case) left to the named mistakes?"""
    named = stored(
        "dee", case("hidden-1", digest="aa", mistake="no_1_over_m"), case("hidden-2", digest="bb")
    )
    assert task_signature(named.report.tasks[0]) is None
    assert find_undiagnosed([same_bug("abe"), same_bug("bo"), named]).groups == ()


def test_public_cases_do_not_split_a_group() -> None:
    """Is the grouping by the hidden cases only?"""
    other_public = stored(
        "dee",
        case("public-1", Status.PASSED, visibility=Visibility.PUBLIC),
        case("hidden-1", digest="aa"),
        case("hidden-2", digest="bb"),
    )
    (group,) = find_undiagnosed([same_bug("abe"), same_bug("bo"), other_public]).groups
    assert group.students == ("abe", "bo", "dee")


def test_a_passing_hidden_case_is_part_of_the_signature() -> None:
    """Is a student who passes a hidden case the others fail kept apart?"""
    half = stored("dee", case("hidden-1", digest="aa"), case("hidden-2", Status.PASSED))
    assert find_undiagnosed([same_bug("abe"), same_bug("bo"), half]).groups == ()


def test_errors_and_passes_alone_make_no_group() -> None:
    """Are students whose function raised, or passed, never grouped as a wrong output?"""
    raised = [
        stored(s, case("hidden-1", Status.ERROR), case("hidden-2", Status.ERROR)) for s in "xyz"
    ]
    passed = [stored(s, case("hidden-1", Status.PASSED)) for s in "pqr"]
    assert find_undiagnosed([*raised, *passed]).groups == ()


def test_groups_are_per_function_and_largest_first() -> None:
    """Is the same digest under another function another group, and the larger group first?"""
    members = [same_bug(s) for s in ("a1", "a2", "a3")]
    members += [same_bug(s, task="optimize") for s in ("b1", "b2", "b3", "b4")]
    found = find_undiagnosed(members)
    assert [(g.task, len(g.students)) for g in found.groups] == [("optimize", 4), ("propagate", 3)]
    assert found.groups[0].code == ""  # no `optimize` in the notebook: no code shown


def test_the_function_name_comes_from_the_spec_when_the_task_is_named_otherwise() -> None:
    """Is a task graded on another function's name (pool_forward_max -> pool_forward) shown
    with that function's code?"""
    members = [same_bug(s, task="propagate_task") for s in ("a", "b", "c")]
    (group,) = find_undiagnosed(members, functions={"propagate_task": "propagate"}).groups
    assert "def propagate" in group.code


def test_results_stored_without_fingerprints_are_counted() -> None:
    """Are undiagnosed wrong outputs stored before fingerprints were kept counted, so the
    report can say why they are not grouped?"""
    old = [stored(s, case("hidden-1"), case("hidden-2")) for s in ("a", "b", "c")]
    found = find_undiagnosed(old)
    assert found.groups == () and found.missing == 3


def test_the_most_common_wording_of_the_example_is_shown() -> None:
    """When one member's cases are described differently, is the wording most cases share
    shown, with how many?"""
    mixed = stored(
        "a",
        case("hidden-1", digest="aa", difference="1.5 where 0.5 is expected"),
        case("hidden-2", digest="bb"),
        case("hidden-3", digest="cc"),
    )
    others = [
        stored(
            s,
            case("hidden-1", digest="aa"),
            case("hidden-2", digest="bb"),
            case("hidden-3", digest="cc"),
        )
        for s in ("b", "c")
    ]
    (group,) = find_undiagnosed([mixed, *others]).groups
    assert group.difference == "every value is 2x the expected"
    assert (group.cases, group.failing) == (2, 3)


def test_a_wording_about_whole_arrays_wins_over_one_number() -> None:
    """When every case of the example is worded differently, is a wording about the values
    of an array preferred to one comparing two numbers?"""
    words = ("0.7 where 0.5 is expected", "3 of 8 values differ; the largest difference is 1")
    members = [
        stored(
            s,
            case("hidden-1", digest="aa", difference=words[0]),
            case("hidden-2", digest="bb", difference=words[1]),
        )
        for s in ("a", "b", "c")
    ]
    (group,) = find_undiagnosed(members).groups
    assert group.difference == words[1] and group.cases == 1
