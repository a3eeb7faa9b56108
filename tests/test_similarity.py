"""Likely copies (`grader.similarity`): extraction, normalization, winnowing, rarity weighting,
the generated class of 60 with planted copies, and the report."""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from similarity_class import FUNCTIONS, GeneratedClass, generate_class, release_cells, templates

from grader import cli
from grader.report.render import html_environment
from grader.similarity import (
    Highlight,
    SimilarityOptions,
    SimilarityReport,
    extract_functions,
    find_similar,
    find_similar_notebooks,
    fingerprint_tokens,
    kgram_hashes,
    normalize_function,
    parse_template,
    winnow,
)
from grader.similarity.index import build_index, candidate_pairs

ROOT = Path(__file__).resolve().parents[1]
ACCUSING = ("cheat", "plagiar", "copied", "guilty", "dishonest", "stole")

PROPAGATE = '''def propagate(w, b, X, Y):
    """Forward and backward pass."""
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = 1 / m * np.dot(X, (A - Y).T)
    db = 1 / m * np.sum(A - Y)
    grads = {"dw": dw, "db": db}
    return grads, cost
'''
# The same function disguised: other names, dw/db swapped, comments, prints, blank lines.
DISGUISED = """def propagate(w, b, X, Y):
    # how many examples
    n_ex = X.shape[1]

    act = sigmoid(np.dot(w.T, X) + b)  # forward pass
    print(act.shape)
    J = -1 / n_ex * np.sum(Y * np.log(act) + (1 - Y) * np.log(1 - act))
    g_b = 1 / n_ex * np.sum(act - Y)
    g_w = 1 / n_ex * np.dot(X, (act - Y).T)
    if True:
        print("gradients", g_w, g_b)
    g = {"dw": g_w, "db": g_b}
    return g, J
"""
TEMPLATE = '''def propagate(w, b, X, Y):
    """Forward and backward pass."""
    # YOUR CODE HERE
    m = X.shape[1]
    raise NotImplementedError()
'''


def tokens(source: str, template: str = "") -> tuple[str, ...]:
    return normalize_function(source, parse_template(template)).tokens


# --- extracting functions from notebook cells ------------------------------------------------


def test_functions_come_out_of_cells_with_magics_and_broken_cells(tmp_path: Path) -> None:
    """Are graded functions found despite IPython magics, shell escapes and a broken cell, with
    the last definition winning, and is nothing in the notebook run?"""
    marker = tmp_path / "ran"
    cells = [
        f"%matplotlib inline\nimport numpy as np\nopen({str(marker)!r}, 'w').close()",
        "!pip install numpy\nfiles = !ls\nnp.dot?\ndef sigmoid(z):\n    return 0",
        "def sigmoid(z):\n    %time x = 1\n    return 1 / (1 + np.exp(-z))",
        "%%time\ndef predict(w, b, X):\n    return X",
        "%%bash\ndef optimize():\n    echo hi",
        "def propagate(w, b, X, Y) this cell does not parse",
        "@decorated\ndef propagate(w, b, X, Y):\n    return 1\ndef helper():\n    pass",
    ]
    found = extract_functions(cells, ["sigmoid", "predict", "optimize", "propagate"])
    assert set(found) == {"sigmoid", "predict", "propagate"}
    assert "np.exp(-z)" in found["sigmoid"] and "pass" in found["sigmoid"]
    assert found["predict"].startswith("def predict")
    assert found["propagate"].startswith("@decorated\ndef propagate")
    assert "helper" not in found["propagate"]
    assert not marker.exists()


# --- normalization ---------------------------------------------------------------------------


def test_renaming_comments_prints_and_order_do_not_change_the_tokens() -> None:
    """Do local names, comments, blank lines, prints and the order of independent statements
    leave the normalized tokens unchanged, while library calls keep their names?"""
    assert tokens(PROPAGATE) == tokens(DISGUISED)
    stream = tokens(PROPAGATE)
    assert {"np", "dot", "sum", "log", "sigmoid", "shape", "T"} <= set(stream)
    assert not {"m", "A", "cost", "dw", "db", "print"} & set(stream)


def test_different_code_gives_different_tokens() -> None:
    """Does writing `@` instead of `np.dot`, or reordering dependent statements (an element
    changed in place included), change the tokens?"""
    assert tokens(PROPAGATE) != tokens(PROPAGATE.replace("np.dot(w.T, X)", "w.T @ X"))
    ordered = "def f(x):\n    a = x\n    a = a + 1\n    b = a * 2\n    return b\n"
    swapped = "def f(x):\n    a = x\n    b = a * 2\n    a = a + 1\n    return b\n"
    assert tokens(ordered) != tokens(swapped)
    updated = "def f(x):\n    d = np.zeros(3)\n    d[0] += x\n    e = d * 2\n    return e\n"
    too_early = "def f(x):\n    d = np.zeros(3)\n    e = d * 2\n    d[0] += x\n    return e\n"
    assert tokens(updated) != tokens(too_early)


def test_keyword_arguments_and_helper_calls_keep_their_names() -> None:
    """Are keyword arguments (`keepdims`) and calls to other functions kept, since they carry
    meaning?"""
    source = "def f(X, A):\n    s = np.sum(X * A, axis=1, keepdims=True)\n    return relu(s)\n"
    assert {"keepdims", "axis", "relu", "sum"} <= set(tokens(source))


def test_template_lines_and_docstrings_are_dropped() -> None:
    """Are the release's docstring, placeholder and starter lines dropped, so what everyone was
    given is not compared, while the student's own lines stay?"""
    template = parse_template(TEMPLATE)
    plain = normalize_function(PROPAGATE, template)
    left_in = (
        PROPAGATE.replace("    m = X.shape[1]\n", "    # YOUR CODE HERE\n    m = X.shape[1]\n")
        + "    raise NotImplementedError()\n"
    )
    kept = normalize_function(left_in, template)
    assert kept.tokens == plain.tokens and kept.comments == ()
    assert "shape" not in plain.tokens  # `m = X.shape[1]` was given
    assert {"sigmoid", "log", "dot"} <= set(plain.tokens)
    assert normalize_function(TEMPLATE, template).tokens == ()


def test_comments_and_chosen_names_are_kept_as_evidence() -> None:
    """Are the student's comments (normalized) and local names (not the parameters) kept as
    evidence, with their lines?"""
    normalized = normalize_function(DISGUISED)
    assert [(m.text, m.line) for m in normalized.comments] == [
        ("how many examples", 2),
        ("forward pass", 5),
    ]
    assert {m.text for m in normalized.names} == {"n_ex", "act", "J", "g_b", "g_w", "g"}
    assert normalized.naming.split()[0] == "n_ex"


def test_code_that_does_not_parse_normalizes_to_nothing() -> None:
    """Does a broken or empty function give no tokens instead of raising?"""
    assert tokens("def f(:\n    return") == ()
    assert tokens("x = 1\n") == ()


# --- winnowing -------------------------------------------------------------------------------


def test_winnowing_picks_the_papers_fingerprints() -> None:
    """Does winnowing with a window of 4 pick the fingerprints of Schleimer et al.'s example?"""
    hashes = [77, 74, 42, 17, 98, 50, 17, 98, 8, 88, 67, 39, 77, 74, 42, 17, 98]
    kept = winnow(hashes, 4)
    assert [(f.hash, f.start) for f in kept] == [(17, 3), (17, 6), (8, 8), (39, 11), (17, 15)]


def test_a_long_enough_shared_run_always_shares_a_fingerprint() -> None:
    """Does every run of k + window - 1 shared tokens, inside otherwise different streams,
    yield a shared fingerprint (the winnowing guarantee)?"""
    rng = random.Random(7)
    k, window = 10, 4
    for _ in range(50):
        shared = [f"s{rng.randrange(30)}" for _ in range(k + window - 1)]
        left = [f"a{rng.randrange(30)}" for _ in range(rng.randrange(40))]
        right = [f"b{rng.randrange(30)}" for _ in range(rng.randrange(40))]
        first = {f.hash for f in fingerprint_tokens(left + shared + right, k, window)}
        second = {f.hash for f in fingerprint_tokens(right + shared + left, k, window)}
        assert first & second


def test_short_streams_and_hash_stability() -> None:
    """Does a stream shorter than k still get one fingerprint, and are hashes the same in
    another process (they are compared across runs)?"""
    assert len(fingerprint_tokens(["return", "v1"], 10, 4)) == 1
    assert fingerprint_tokens([], 10, 4) == []
    code = (
        "from grader.similarity import kgram_hashes; print(kgram_hashes(list('abcdefghijkl'), 10))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "123", "PYTHONPATH": str(ROOT)}
    other = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert other.stdout.strip() == str(kgram_hashes(list("abcdefghijkl"), 10))


# --- rarity weighting ------------------------------------------------------------------------


def _class_of(unusual: dict[str, str], common: int = 20) -> dict[str, dict[str, str]]:
    """`common` students writing the course's propagate, plus the given students."""
    code = {f"s{i:02d}": {"propagate": PROPAGATE} for i in range(common)}
    code.update({name: {"propagate": source} for name, source in unusual.items()})
    return code


def test_weights_fall_as_more_of_the_class_writes_a_fragment() -> None:
    """Does a fingerprint weigh nothing when a tenth of the class or more has it, the most
    when only two students have it, and less the more students share it?"""
    options = SimilarityOptions()
    small = build_index(
        "propagate", {f"s{i}": PROPAGATE for i in range(30)}, parse_template(""), {}, options
    )
    assert small.weight(30) == 0.0 and small.weight(3) == 0.0  # common from max(3, 10% of 30)
    assert small.weight(2) == pytest.approx(math.log(3 / 2)) == small.unit
    wide = build_index(
        "propagate", {f"s{i}": PROPAGATE for i in range(200)}, parse_template(""), {}, options
    )
    assert wide.weight(2) > wide.weight(5) > wide.weight(19) > wide.weight(20) == 0.0


def test_what_everyone_writes_is_not_reported() -> None:
    """Are students who all wrote the course's own propagate not reported, and do they not even
    become candidate pairs (the inverted index skips common fingerprints)?"""
    code = _class_of({})
    assert find_similar(code).pairs == ()
    options = SimilarityOptions()
    sources = {s: f["propagate"] for s, f in code.items()}
    index = build_index("propagate", sources, parse_template(""), {}, options)
    assert candidate_pairs([index], sorted(code), options) == []


def test_shared_unusual_code_is_reported_with_its_reasons() -> None:
    """Is a pair sharing an unusual propagate (and its comment) reported, with reasons that name
    the function and the comment, while the course's version stays unreported?"""
    unusual = (
        PROPAGATE.replace("np.dot(w.T, X)", "np.einsum('ij,ik->jk', w, X)")
        .replace("np.sum(A - Y)", "np.add.reduce((A - Y).ravel())")
        .replace("    grads =", "    # vectorised gradient\n    grads =")
    )
    report = find_similar(_class_of({"ann": unusual, "bob": unusual.replace("A", "act")}))
    assert [p.students for p in report.pairs] == [("ann", "bob")]
    pair = report.pairs[0]
    assert pair.functions == ("propagate",) and 0.6 <= pair.score <= 1.0
    text = " ".join(pair.reasons)
    assert "`propagate`" in text and "# vectorised gradient" in text


def test_a_rare_wrong_output_counts_and_a_common_one_does_not() -> None:
    """Does the same rare wrong output add evidence (and a reason), while a wrong output that
    many students share adds none?"""
    slightly = PROPAGATE.replace("np.dot(X, (A - Y).T)", "np.dot(X, np.transpose(A - Y))")
    code = _class_of({"ann": slightly, "bob": slightly, "cy": PROPAGATE, "dee": PROPAGATE})
    rare = {"ann": {"propagate": "dw*2"}, "bob": {"propagate": "dw*2"}}
    common = {s: {"propagate": "no-1/m"} for s in code}
    options = SimilarityOptions(evidence=4.0, pooled_evidence=4.0)

    def score(outputs: dict[str, dict[str, str]]) -> float:
        report = find_similar(code, wrong_outputs=outputs, options=options)
        return next((p.score for p in report.pairs if p.students == ("ann", "bob")), 0.0)

    assert 0 < score({}) < 1
    assert score(rare) > score({}) == score(common)
    with_rare = find_similar(code, wrong_outputs=rare, options=options)
    assert any("wrong output" in reason for p in with_rare.pairs for reason in p.reasons)


# --- the generated class ---------------------------------------------------------------------


@pytest.fixture(scope="module", params=[0, 1])
def generated(request: pytest.FixtureRequest) -> tuple[GeneratedClass, SimilarityReport]:
    """A class of 60 (seed 0 or 1) and its similarity report."""
    school = generate_class(60, request.param)
    return school, find_similar(school.code, templates())


def test_planted_copies_are_found_with_high_precision_and_recall(
    generated: tuple[GeneratedClass, SimilarityReport],
) -> None:
    """On a class of 60 with renamed, reordered, commented, one-function, mixed copies and a
    cluster of three, are precision and recall both at least 0.9?"""
    school, report = generated
    flagged = {frozenset(p.students) for p in report.pairs}
    found = flagged & school.copies
    assert len(found) / len(flagged) >= 0.9, flagged - school.copies
    assert len(found) / len(school.copies) >= 0.9, school.copies - flagged


def test_independent_solutions_are_not_reported(
    generated: tuple[GeneratedClass, SimilarityReport],
) -> None:
    """Is no pair of students who both wrote their own solutions reported?"""
    school, report = generated
    independent = school.independent - {s for pair in school.copies for s in pair}
    assert [p.students for p in report.pairs if set(p.students) <= independent] == []


def test_the_cluster_of_three_is_a_cluster(
    generated: tuple[GeneratedClass, SimilarityReport],
) -> None:
    """Are the three students of the planted cluster reported as one group?"""
    school, report = generated
    cluster = {s for s, kind in school.plants.items() if kind.startswith("cluster:")}
    assert any(cluster < set(c.students) for c in report.clusters)


def test_notebooks_give_the_same_pairs_as_extracted_code() -> None:
    """Does comparing whole notebooks (magics, check cells, the release as template) report the
    same pairs as comparing the functions directly?"""
    school = generate_class(60, 0)
    direct = find_similar(school.code, templates())
    from_notebooks = find_similar_notebooks(school.cells, FUNCTIONS, release_cells())
    assert [p.students for p in from_notebooks.pairs] == [p.students for p in direct.pairs]


# --- the report ------------------------------------------------------------------------------


def test_json_has_pairs_and_clusters_and_asks_to_look(
    generated: tuple[GeneratedClass, SimilarityReport],
) -> None:
    """Is `similarity.json` plain JSON with pairs (students, score in 0..1, functions) and
    clusters, and does no reason accuse anyone?"""
    _, report = generated
    data = json.loads(json.dumps(report.to_json()))
    assert set(data) == {"pairs", "clusters"}
    for pair in data["pairs"]:
        assert len(pair["students"]) == 2 and 0 <= pair["score"] <= 1 and pair["functions"]
        assert not any(word in reason.lower() for reason in pair["reasons"] for word in ACCUSING)
    assert all(len(c["students"]) >= 3 for c in data["clusters"])


def test_matched_lines_point_into_both_sources(
    generated: tuple[GeneratedClass, SimilarityReport],
) -> None:
    """Do the highlighted ranges of every reported function lie within both students' code, with
    rare matches on lines that hold code?"""
    _, report = generated
    for pair in report.pairs:
        for match in pair.matches:
            for source, lines in ((match.source_a, match.lines_a), (match.source_b, match.lines_b)):
                assert len(lines) == len(source.splitlines())
                rare = [line for line in lines if line.level is Highlight.RARE]
                assert rare and all(line.text.strip() for line in rare)


def test_html_section_escapes_everything() -> None:
    """Does the class report's section escape student names and code, mark shared lines, and
    say so when no pair stands out?"""
    unusual = PROPAGATE.replace(
        "np.dot(w.T, X)", "np.einsum('ij,ik->jk', w, X) if 1 < 2 else '<script>'"
    )
    report = find_similar(_class_of({"<b>ann</b>": unusual, "bob": unusual}))
    template = html_environment().get_template("_similarity.html.j2")
    html = template.render(similarity=report)
    assert "<b>ann</b>" not in html and "&lt;b&gt;ann&lt;/b&gt;" in html
    assert "<script>" not in html and "&#39;&lt;script&gt;&#39;" in html
    assert 'class="line rare"' in html and "worth a look" in html
    assert not any(word in html.lower() for word in ACCUSING)
    empty = template.render(similarity=find_similar(_class_of({})))
    assert "No pair stands out" in empty


@pytest.mark.slow
def test_grade_similarity_on_a_graded_batch(tmp_path: Path) -> None:
    """Does `grade similarity DIR` on the output of `grade batch` write similarity.json naming
    the two students who share an unusual propagate, and no one else?"""
    unusual = PROPAGATE.replace("np.dot(w.T, X)", "np.einsum('ij,ik->jk', w, X)").replace(
        "np.sum(A - Y)", "np.add.reduce((A - Y).ravel())"
    )
    sigmoid = "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
    students = {"ann": unusual, "bob": unusual.replace("A", "act"), "cy": PROPAGATE}
    students |= {"dee": PROPAGATE, "eve": PROPAGATE}
    (tmp_path / "in").mkdir()
    for name, propagate in students.items():
        cells = ["import numpy as np\n%matplotlib inline", sigmoid, propagate]
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        nbformat.write(notebook, tmp_path / "in" / f"{name}.ipynb")
    out = tmp_path / "out"
    runner = CliRunner()
    graded = runner.invoke(
        cli.main, ["batch", str(tmp_path / "in"), "-a", "logistic_regression", "-o", str(out), "-q"]
    )
    assert graded.exit_code == 0, graded.output
    result = runner.invoke(cli.main, ["similarity", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "similarity.json").read_text(encoding="utf-8"))
    assert [pair["students"] for pair in data["pairs"]] == [["ann", "bob"]]
    assert data["pairs"][0]["functions"] == ["propagate"]
    assert "1 pair worth a look among 5 submissions" in result.output
    empty = runner.invoke(cli.main, ["similarity", str(tmp_path / "in")])
    assert empty.exit_code == 2 and "no stored results" in empty.output
