"""The recipe: normalize and fingerprint every function, index the class, score the candidate
pairs, keep those worth a look, and explain them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from grader.similarity.extract import extract_functions
from grader.similarity.index import (
    FunctionIndex,
    MarkKind,
    SimilarityOptions,
    build_index,
    candidate_pairs,
)
from grader.similarity.normalize import parse_template
from grader.similarity.report import (
    COMMENTS_SHOWN,
    NAMES_SHOWN,
    NAMING_SHOWN,
    REASON_CLOSE,
    REASON_COMMENT,
    REASON_COMMENTS,
    REASON_NAMES,
    REASON_NAMING,
    REASON_OUTPUT_ALONE,
    REASON_OUTPUT_FEW,
    REASON_STATEMENTS,
    REASON_WHOLE,
    WHO_EXACTLY,
    WHO_FEW,
    WHO_NO_ONE,
    FunctionMatch,
    SimilarityReport,
    SimilarPair,
    find_clusters,
    plural,
)
from grader.similarity.scoring import (
    FunctionScore,
    SharedMark,
    matched_lines,
    pooled_score,
    score_function,
)


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
    matches = []
    for item in standing:
        index = by_name[item.function]
        ranges_a, ranges_b = matched_lines(index, a, b, options)
        matches.append(
            FunctionMatch(
                item.function,
                item.score,
                index.entries[a].normalized.source,
                index.entries[b].normalized.source,
                ranges_a,
                ranges_b,
            )
        )
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
        tuple(matches),
    )


def describe(score: FunctionScore, rare_limit: int) -> list[str]:
    """What the pair shares in one function, in plain words (rarest evidence first).

    Args:
        score: the function's comparison.
        rare_limit: the most students a fragment or mark may be shared by to be called rare.
    """
    function = score.function
    reasons: list[str] = []
    by_kind: dict[MarkKind, list[SharedMark]] = {}
    for mark in score.marks:
        by_kind.setdefault(mark.kind, []).append(mark)
    for mark in by_kind.get(MarkKind.FUNCTION, []):
        reasons.append(REASON_WHOLE.format(function=function, who=_who(mark.others, exact=True)))
    if score.statements:
        reasons.append(
            REASON_STATEMENTS.format(
                count=score.statements,
                s=plural(score.statements),
                function=function,
                who=_who(score.most_others),
            )
        )
    for mark in by_kind.get(MarkKind.NAMING, []):
        names = ", ".join(f"`{n}`" for n in mark.text.split()[:NAMING_SHOWN])
        reasons.append(REASON_NAMING.format(function=function, names=names))
    rare = [m.text for m in by_kind.get(MarkKind.NAME, []) if m.others + 2 <= rare_limit]
    if rare and MarkKind.NAMING not in by_kind:
        names = ", ".join(f"`{name}`" for name in rare[:NAMES_SHOWN])
        reasons.append(REASON_NAMES.format(s=plural(len(rare)), names=names, function=function))
    if MarkKind.COMMENTS in by_kind:
        reasons.append(REASON_COMMENTS.format(function=function))
    comments = [m.text for m in by_kind.get(MarkKind.COMMENT, []) if m.others + 2 <= rare_limit]
    reasons += [
        REASON_COMMENT.format(text=text, function=function) for text in comments[:COMMENTS_SHOWN]
    ]
    for mark in by_kind.get(MarkKind.OUTPUT, []):
        others = mark.others
        reasons.append(
            REASON_OUTPUT_ALONE.format(function=function)
            if others == 0
            else REASON_OUTPUT_FEW.format(function=function, others=others, s=plural(others))
        )
    return reasons or [
        REASON_CLOSE.format(percent=round(100 * score.similarity), function=function)
    ]


def _who(others: int, exact: bool = False) -> str:
    if others == 0:
        return WHO_NO_ONE
    return (WHO_EXACTLY if exact else WHO_FEW).format(others=others, s=plural(others))
