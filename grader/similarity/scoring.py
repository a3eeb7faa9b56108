"""How alike two students' functions are, weighed by what the rest of the class wrote.

Per function, with `w` the rarity weight of `index.py` (0 for what a tenth of the class writes):

    shared     = sum of w over the k-gram fingerprints both have
                 + the weight of the marks both have (each times its factor)
    union      = sum of w over the fingerprints either has + the same shared marks
    similarity = shared / union                      (weighted Jaccard, 0..1)
    evidence   = (sum of w over the statements both wrote + shared marks) / unit
    score      = similarity * min(1, evidence / options.evidence)

Similarity says how much of what is not common the two have in common; evidence says how
much that is, counted per statement (overlapping k-grams of one line are not independent
evidence) and in units of "a statement only these two wrote". A mark that only one of the two
has (an added comment, a renamed variable) is left out of the union: adding comments or
renaming is a cheap disguise, not a difference in the code. Two short correct solutions that
look the same score low: what they share is common, so it weighs nothing.

Over the functions, the pair's score is the larger of its best function's score (a copy of one
function only) and the score of all functions pooled: sums of `shared`, `union` and evidence,
with the lower `options.pooled_evidence`. Submissions alike in every function are rare by
chance even when each function is short; one function alike, next to functions that differ,
dilutes the pooled similarity and must carry the stronger evidence on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from grader.similarity.index import (
    FunctionIndex,
    MarkKind,
    SimilarityOptions,
    mark_factor,
    marks_of,
)
from grader.similarity.report import Highlight, LineRange


@dataclass(frozen=True)
class SharedMark:
    """A mark (comment, name, wrong output, ...) two students share, and how many others have it."""

    kind: MarkKind
    text: str
    others: int


@dataclass(frozen=True)
class FunctionScore:
    """Two students' versions of one function compared.

    Attributes:
        function: its name.
        score: 0..1, similarity scaled by confidence.
        similarity: the weighted Jaccard similarity, 0..1.
        evidence: shared statements and marks in units (a statement only the two wrote is 1).
        shared: the shared weight (fingerprints and marks).
        union: the weight of everything either wrote, plus the shared marks.
        statements: how many uncommon statements both wrote.
        most_others: of those statements, the most other students who also wrote one.
        marks: the uncommon marks both have, rarest first.
    """

    function: str
    score: float
    similarity: float
    evidence: float
    shared: float
    union: float
    statements: int = 0
    most_others: int = 0
    marks: tuple[SharedMark, ...] = ()


def score_function(
    index: FunctionIndex, a: str, b: str, options: SimilarityOptions
) -> FunctionScore | None:
    """Compare students `a` and `b` on one function; None unless both wrote it."""
    first, second = index.entries.get(a), index.entries.get(b)
    if first is None or second is None:
        return None
    code = sum(index.weight(index.code_df[h]) for h in first.hashes & second.hashes)
    marks = [m for m in set(marks_of(first)) & set(marks_of(second)) if index.mark_weight(m) > 0]
    extra = sum(mark_factor(m[0], options) * index.mark_weight(m) for m in marks)
    shared = code + extra
    union = index.totals[a] + index.totals[b] - code + extra
    similarity = shared / union if union > 0 else 0.0
    statements = [
        index.statement_df[h]
        for h in first.statements & second.statements
        if index.weight(index.statement_df[h]) > 0
    ]
    evidence = (sum(index.weight(df) for df in statements) + extra) / index.unit
    return FunctionScore(
        index.function,
        similarity * min(1.0, evidence / options.evidence),
        similarity,
        evidence,
        shared,
        union,
        len(statements),
        max(statements, default=2) - 2,
        tuple(
            sorted(
                (SharedMark(kind, text, index.mark_df[(kind, text)] - 2) for kind, text in marks),
                key=lambda m: (m.others, m.kind, m.text),
            )
        ),
    )


def pooled_score(scores: Sequence[FunctionScore], options: SimilarityOptions) -> float:
    """All functions taken together: pooled similarity scaled by pooled confidence."""
    shared = sum(s.shared for s in scores)
    union = sum(s.union for s in scores)
    if union <= 0:
        return 0.0
    evidence = sum(s.evidence for s in scores)
    return shared / union * min(1.0, evidence / options.pooled_evidence)


def matched_lines(
    index: FunctionIndex, a: str, b: str, options: SimilarityOptions
) -> tuple[tuple[LineRange, ...], tuple[LineRange, ...]]:
    """The source lines of each side that the other side shares, for highlighting.

    A line is `RARE` when a shared fingerprint or comment on it is rare in the class,
    `COMMON` when what it shares is written by more students (but not by all).
    """
    first, second = index.entries[a], index.entries[b]
    common = first.hashes & second.hashes
    comments = first.comments & second.comments
    limit = index.rare_limit(options)
    sides = []
    for entry in (first, second):
        levels: dict[int, Highlight] = {}
        for fingerprint in entry.fingerprints:
            df = index.code_df[fingerprint.hash]
            if fingerprint.hash not in common or df >= index.size:
                continue
            level = Highlight.RARE if df <= limit else Highlight.COMMON
            end = min(fingerprint.start + options.k, len(entry.normalized.spans))
            for first_line, last_line in entry.normalized.spans[fingerprint.start : end]:
                for line in range(first_line, last_line + 1):
                    levels[line] = max(levels.get(line, level), level, key=lambda h: h.rank)
        for mark in entry.normalized.comments:
            if mark.text in comments and index.mark_df[(MarkKind.COMMENT, mark.text)] <= limit:
                levels[mark.line] = Highlight.RARE
        sides.append(_ranges(levels))
    return sides[0], sides[1]


def _ranges(levels: dict[int, Highlight]) -> tuple[LineRange, ...]:
    """Consecutive lines of the same level merged into ranges."""
    ranges: list[LineRange] = []
    for line in sorted(levels):
        level = levels[line]
        if ranges and ranges[-1].end == line - 1 and ranges[-1].level is level:
            ranges[-1] = LineRange(ranges[-1].start, line, level)
        else:
            ranges.append(LineRange(line, line, level))
    return tuple(ranges)
