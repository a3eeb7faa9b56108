"""The recipe: normalize and fingerprint every function, index the class, score the candidate
pairs, keep those worth a look, and explain them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from grader.similarity.extract import extract_functions
from grader.similarity.index import FunctionIndex, SimilarityOptions, build_index, candidate_pairs
from grader.similarity.normalize import parse_template
from grader.similarity.reasons import describe
from grader.similarity.report import FunctionMatch, SimilarityReport, SimilarPair, find_clusters
from grader.similarity.scoring import FunctionScore, matched_lines, pooled_score, score_function


def find_similar(
    code: Mapping[str, Mapping[str, str]],
    templates: Mapping[str, str] | None = None,
    *,
    wrong_outputs: Mapping[str, Mapping[str, str]] | None = None,
    options: SimilarityOptions | None = None,
) -> SimilarityReport:
    """Find the pairs of students whose graded functions are similar beyond what the class
    shares.

    Args:
        code: student -> function name -> the function's source (see `extract_functions`).
        templates: function name -> its starter code in the release notebook (signature,
            docstring, placeholder lines), whose statements and comments are not compared.
        wrong_outputs: optional, student -> function name -> a fingerprint string of the
            function's *wrong* output (e.g. a hash of the rounded values on a hidden case).
            The same rare wrong output in two submissions is strong evidence.
        options: thresholds and weights; the defaults suit a class of a few dozen or more.

    Returns:
        The reported pairs (score at least `options.threshold`), highest first, and clusters.
    """
    options = options or SimilarityOptions()
    templates = templates or {}
    outputs = wrong_outputs or {}
    students = sorted(code)
    functions = list(templates)
    functions += sorted({f for sources in code.values() for f in sources} - set(functions))
    indexes = [
        build_index(
            function,
            {s: code[s][function] for s in students if function in code[s]},
            parse_template(templates.get(function, "")),
            {s: outputs[s][function] for s in outputs if function in outputs[s]},
            options,
        )
        for function in functions
    ]
    pairs = []
    for a, b in candidate_pairs(indexes, students, options):
        pair = compare_pair(indexes, a, b, options)
        if pair is not None:
            pairs.append(pair)
    pairs.sort(key=lambda p: (-p.score, p.students))
    reported = tuple(pairs)
    return SimilarityReport(
        reported, find_clusters(reported), len(students), tuple(functions), options.threshold
    )


def find_similar_notebooks(
    cells: Mapping[str, Sequence[str]],
    functions: Sequence[str],
    release_cells: Sequence[str] = (),
    *,
    wrong_outputs: Mapping[str, Mapping[str, str]] | None = None,
    options: SimilarityOptions | None = None,
) -> SimilarityReport:
    """`find_similar` from notebooks: each student's code cells and the release's.

    Args:
        cells: student -> the sources of the notebook's code cells, in order.
        functions: the graded functions to compare.
        release_cells: the code cells of the release notebook (the starter code).
        wrong_outputs: as for `find_similar`.
        options: as for `find_similar`.
    """
    code = {student: extract_functions(sources, functions) for student, sources in cells.items()}
    templates = extract_functions(release_cells, functions)
    templates = {name: templates.get(name, "") for name in functions}
    return find_similar(code, templates, wrong_outputs=wrong_outputs, options=options)


def compare_pair(
    indexes: Sequence[FunctionIndex], a: str, b: str, options: SimilarityOptions
) -> SimilarPair | None:
    """Students `a` and `b` compared on every function; None when below the threshold."""
    scores = [s for s in (score_function(i, a, b, options) for i in indexes) if s is not None]
    if not scores:
        return None
    total = max(pooled_score(scores, options), *(s.score for s in scores))
    if total < options.threshold:
        return None
    ranked = sorted(scores, key=lambda s: (-s.score, s.function))
    standing = [s for s in ranked if s.score >= options.function_threshold] or [
        s for s in ranked if s.evidence >= 1.0
    ]
    by_name = {index.function: index for index in indexes}
    return SimilarPair(
        (a, b),
        total,
        tuple(s.function for s in standing),
        {s.function: s.score for s in scores},
        tuple(
            reason
            for s in standing
            for reason in describe(s, by_name[s.function].rare_limit(options))
        ),
        tuple(_match(by_name[s.function], s, a, b, options) for s in standing),
    )


def _match(
    index: FunctionIndex, score: FunctionScore, a: str, b: str, options: SimilarityOptions
) -> FunctionMatch:
    """One function of a reported pair: both students' code and the lines they share."""
    ranges_a, ranges_b = matched_lines(index, a, b, options)
    source_a, source_b = (index.entries[s].normalized.source for s in (a, b))
    return FunctionMatch(score.function, score.score, source_a, source_b, ranges_a, ranges_b)
