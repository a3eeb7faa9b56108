"""The class-wide view of one graded function: every student's fingerprints, statements and
evidence marks, how many students share each (document frequency), and the pairs worth scoring.

Rarity weighting (inverse document frequency with a floor): something written by `df` of the
`N` students who wrote this function weighs `log(N / df) - log(N / C) = log(C / df)`, and
never less than 0, where `C = common_share * N` (at least 3) is where "common" starts. What a
tenth of the class or more writes weighs nothing, however many such lines two students share;
what only two students wrote weighs `log(C / 2)`, the most anything shared can weigh (one
*unit* of evidence). The same weight, times a factor, applies to the marks: a comment, the
sequence of a function's comments, a variable name, the names of all its variables, the whole
normalized function, a wrong output.

Candidate pairs come from an inverted index, (statement or mark) -> students: only what weighs
something (fewer than `C` students) proposes pairs, so the work grows with the number of pairs
that share something uncommon, not with the square of the class.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np

from grader.similarity.fingerprints import (
    WINDOW,
    Fingerprint,
    K,
    fingerprint_tokens,
    statement_hashes,
)
from grader.similarity.normalize import NormalizedFunction, Template, normalize_function


class MarkKind(StrEnum):
    """Kinds of evidence besides the code itself."""

    COMMENT = "comment"  # one comment or bare string
    COMMENTS = "comments"  # the sequence of a function's comments
    NAME = "name"  # one local variable name as written
    NAMING = "naming"  # the names of all variables of the normalized code, in order
    FUNCTION = "function"  # the whole normalized function
    OUTPUT = "output"  # the fingerprint of a wrong output


MarkKey = tuple[MarkKind, str]


@dataclass(frozen=True)
class SimilarityOptions:
    """Settings of the comparison. The defaults were chosen on generated classes of 60 (seeds
    0-19; `bench/bench_similarity.py` checks them on other seeds and on a class of 1,000).

    Attributes:
        k: tokens per k-gram.
        window: k-gram hashes per winnowing window.
        threshold: a pair whose score reaches this is reported. With the evidence settings
            below, 0.6 had the best precision and recall together, and 0.5-0.7 are close.
        function_threshold: a function whose own score reaches this is named in a reported pair.
        evidence: units of evidence (one unit: a statement only the two students wrote) for
            full confidence in one function alone. Less scales its score down, so a short
            function that two students happen to write alike is not reported on its own; a
            copy of one function only carries the whole function, its lines, names and comments.
        pooled_evidence: the same for all functions together. Lower: submissions alike in
            every function are unlikely by chance even when each function is short, while one
            function alike against different others dilutes the pooled similarity.
        rare_share: fragments and marks held by at most this share of the class (and at least
            2 students always) are called rare in the reasons and highlighted as such.
        common_share: fragments and marks held by at least this share of the class (at least 3
            students) are common: they weigh nothing and propose no pairs.
        comment_factor: weight of a shared rare comment relative to a code fragment, and of
            the same sequence of comments through a function.
        name_factor: weight of a shared rare variable name, and of the same names given to
            the same variables throughout a function.
        output_factor: weight of the same rare wrong output.
        function_factor: weight of the whole normalized function, when two students share it.
    """

    k: int = K
    window: int = WINDOW
    threshold: float = 0.6
    function_threshold: float = 0.5
    evidence: float = 7.0
    pooled_evidence: float = 3.0
    rare_share: float = 0.05
    common_share: float = 0.1
    comment_factor: float = 1.0
    name_factor: float = 0.5
    output_factor: float = 2.0
    function_factor: float = 2.0


@dataclass(frozen=True)
class Entry:
    """One student's version of one function, normalized and fingerprinted."""

    normalized: NormalizedFunction
    fingerprints: tuple[Fingerprint, ...]
    hashes: frozenset[int]
    statements: frozenset[int]
    comments: frozenset[str]
    names: frozenset[str]
    wrong_output: str | None


@dataclass(frozen=True)
class FunctionIndex:
    """Every student's version of one function, and how common each fingerprint and mark is.

    Attributes:
        function: the function's name.
        entries: student -> entry, for students whose function holds code beyond the template.
        common: from how many students on a fragment or mark is common (weighs nothing).
        code_df: fingerprint hash -> number of students who have it.
        statement_df: statement hash -> number of students who wrote that statement.
        mark_df: (kind, text) -> number of students who have that mark.
        totals: student -> summed weight of the student's fingerprints.
    """

    function: str
    entries: Mapping[str, Entry]
    common: float
    code_df: Mapping[int, int]
    statement_df: Mapping[int, int]
    mark_df: Mapping[MarkKey, int]
    totals: Mapping[str, float] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """N: how many students wrote this function."""
        return len(self.entries)

    @property
    def unit(self) -> float:
        """The weight of a fragment only two students share: one unit of evidence."""
        return self.weight(2)

    def weight(self, df: int) -> float:
        """The rarity weight of something `df` of the students have: log(C / df), at least 0."""
        return max(0.0, math.log(self.common / df)) if df else 0.0

    def mark_weight(self, mark: MarkKey) -> float:
        """The rarity weight of a mark (before its factor)."""
        return self.weight(self.mark_df[mark])

    def rare_limit(self, options: SimilarityOptions) -> int:
        """The most students a rare fragment or mark may be shared by."""
        return max(2, math.floor(options.rare_share * self.size))


def build_index(
    function: str,
    sources: Mapping[str, str],
    template: Template,
    wrong_outputs: Mapping[str, str],
    options: SimilarityOptions,
) -> FunctionIndex:
    """Normalize and fingerprint every student's `function` and count what they share.

    Args:
        function: the function's name.
        sources: student -> the function's source.
        template: the release's starter code for the function.
        wrong_outputs: student -> a fingerprint of the function's wrong output (students whose
            output was right, or not known, are absent).
        options: k, window.
    """
    entries: dict[str, Entry] = {}
    done: dict[str, Entry | None] = {}  # by source: many students hand in the same text
    for student, source in sources.items():
        if source not in done:
            done[source] = _entry(source, template, options)
        entry = done[source]
        if entry is not None:  # None: nothing beyond the template, nothing to compare
            entries[student] = replace(entry, wrong_output=wrong_outputs.get(student))
    code_df = Counter(h for entry in entries.values() for h in entry.hashes)
    statement_df = Counter(h for entry in entries.values() for h in entry.statements)
    mark_df = Counter(mark for entry in entries.values() for mark in marks_of(entry))
    common = max(3.0, options.common_share * len(entries))
    index = FunctionIndex(function, entries, common, code_df, statement_df, mark_df)
    totals = {s: sum(index.weight(code_df[h]) for h in e.hashes) for s, e in entries.items()}
    return FunctionIndex(function, entries, common, code_df, statement_df, mark_df, totals)


def _entry(source: str, template: Template, options: SimilarityOptions) -> Entry | None:
    """One version of the function normalized and fingerprinted; None if nothing is left."""
    normalized = normalize_function(source, template)
    if not normalized.tokens:
        return None
    prints = tuple(fingerprint_tokens(normalized.tokens, options.k, options.window))
    return Entry(
        normalized,
        prints,
        frozenset(p.hash for p in prints),
        frozenset(statement_hashes(normalized.tokens, normalized.statements)),
        frozenset(m.text for m in normalized.comments),
        frozenset(m.text for m in normalized.names),
        None,
    )


def marks_of(entry: Entry) -> Iterable[MarkKey]:
    """The entry's evidence marks as (kind, text)."""
    normalized = entry.normalized
    yield from ((MarkKind.COMMENT, text) for text in entry.comments)
    yield from ((MarkKind.NAME, text) for text in entry.names)
    yield (MarkKind.FUNCTION, " ".join(normalized.tokens))
    if normalized.naming:
        yield (MarkKind.NAMING, normalized.naming)
    if len(normalized.comments) >= 2:
        yield (MarkKind.COMMENTS, " | ".join(m.text for m in normalized.comments))
    if entry.wrong_output is not None:
        yield (MarkKind.OUTPUT, entry.wrong_output)


def mark_factor(kind: MarkKind, options: SimilarityOptions) -> float:
    """The weight of a mark of `kind` relative to a statement of the same rarity."""
    factors = {
        MarkKind.COMMENT: options.comment_factor,
        MarkKind.COMMENTS: options.comment_factor,
        MarkKind.NAME: options.name_factor,
        MarkKind.NAMING: options.name_factor,
        MarkKind.FUNCTION: options.function_factor,
        MarkKind.OUTPUT: options.output_factor,
    }
    return factors[kind]


def candidate_pairs(
    indexes: Iterable[FunctionIndex], students: list[str], options: SimilarityOptions
) -> list[tuple[str, str]]:
    """Pairs of students that share enough uncommon statements and marks to be reported.

    A pair's score reaches the threshold only if its evidence (shared statements and marks),
    summed over the functions, reaches `threshold * min(evidence, pooled_evidence)` units.
    That sum is computed here for every pair that shares anything uncommon, from the inverted
    index, with numpy; so no pair that could be reported is left out.
    """
    needed = options.threshold * min(options.evidence, options.pooled_evidence)
    number = {student: i for i, student in enumerate(students)}
    found: dict[int, float] = {}
    for index in indexes:
        postings: dict[int | MarkKey, list[int]] = {}
        for student, entry in index.entries.items():
            for statement in entry.statements:
                if index.weight(index.statement_df[statement]) > 0:
                    postings.setdefault(statement, []).append(number[student])
            for mark in marks_of(entry):
                if index.weight(index.mark_df[mark]) > 0:
                    postings.setdefault(mark, []).append(number[student])
        codes, weights = _pair_weights(postings, len(students), index, options)
        for code, weight in zip(codes.tolist(), weights.tolist(), strict=True):
            found[code] = found.get(code, 0.0) + weight / index.unit
    return [
        (students[code // len(students)], students[code % len(students)])
        for code, units in sorted(found.items())
        if units >= needed
    ]


def _pair_weights(
    postings: Mapping[int | MarkKey, list[int]],
    count: int,
    index: FunctionIndex,
    options: SimilarityOptions,
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair in every posting list, as codes `a * count + b` (a < b) with summed weights."""
    all_codes: list[np.ndarray] = []
    all_weights: list[np.ndarray] = []
    for key, members in postings.items():
        if len(members) < 2:
            continue
        held = np.array(sorted(members), dtype=np.int64)
        first, second = np.triu_indices(len(held), 1)
        factor = 1.0 if isinstance(key, int) else mark_factor(key[0], options)
        all_codes.append(held[first] * count + held[second])
        all_weights.append(np.full(len(first), factor * index.weight(len(held))))
    if not all_codes:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    codes, inverse = np.unique(np.concatenate(all_codes), return_inverse=True)
    return codes, np.bincount(inverse, weights=np.concatenate(all_weights))
