"""What the similarity check reports: pairs worth a look, their clusters, and why.

Everything here is plain frozen data for the class report (`templates/_similarity.html.j2`)
and for `similarity.json` (`SimilarityReport.to_json()`). The wording asks the instructor to
look; it never says that anyone copied: similar code has innocent causes too (a study group,
the same tutorial, a hint given in class).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# Text the instructor reads: each reason is what the two share (the template says "They
# share"); the template holds the section's headings and explanations.
REASON_WHOLE = (
    "all of `{function}` (names, comments, prints and the order of independent lines aside), "
    "which {who}"
)
REASON_STATEMENTS = "{count} line{s} of `{function}` that {who}"
WHO_NO_ONE = "no one else in the class wrote"
WHO_FEW = "at most {others} other student{s} also wrote"
WHO_EXACTLY = "only {others} other student{s} also wrote"
REASON_NAMING = "the same name for every variable of `{function}` ({names})"
REASON_NAMES = "the unusual name{s} {names} in `{function}`"
REASON_COMMENTS = "the same comments, in the same order, in `{function}`"
REASON_COMMENT = "the comment “# {text}” in `{function}`"
REASON_OUTPUT_ALONE = "the same wrong output of `{function}`, which no other submission gives"
REASON_OUTPUT_FEW = "the same wrong output of `{function}`, given by only {others} other{s}"
REASON_CLOSE = "{percent}% of what is uncommon in `{function}`"
COMMENTS_SHOWN = 2
NAMES_SHOWN = 3
NAMING_SHOWN = 6
SCORE_DIGITS = 3


class Highlight(StrEnum):
    """How a line of code is marked in the side-by-side view."""

    COMMON = "common"  # shares a fragment that several others in the class also wrote
    RARE = "rare"  # shares a fragment or comment that few or none of the others wrote

    @property
    def rank(self) -> int:
        """Which mark wins when a line has both."""
        return 1 if self is Highlight.RARE else 0


@dataclass(frozen=True)
class LineRange:
    """Lines `start` to `end` (1-based, inclusive) of a function's source, marked `level`."""

    start: int
    end: int
    level: Highlight


@dataclass(frozen=True)
class CodeLine:
    """One line of code as shown: its number, text and mark (None when not shared)."""

    number: int
    text: str
    level: Highlight | None


@dataclass(frozen=True)
class FunctionMatch:
    """One function of a reported pair, with both students' code and the shared lines.

    Attributes:
        function: its name.
        score: 0..1.
        source_a: the first student's function as written; `source_b` the second's.
        ranges_a: marked line ranges of `source_a`; `ranges_b` of `source_b`.
    """

    function: str
    score: float
    source_a: str
    source_b: str
    ranges_a: tuple[LineRange, ...]
    ranges_b: tuple[LineRange, ...]

    @property
    def lines_a(self) -> tuple[CodeLine, ...]:
        """The first student's code, line by line, with marks."""
        return code_lines(self.source_a, self.ranges_a)

    @property
    def lines_b(self) -> tuple[CodeLine, ...]:
        """The second student's code, line by line, with marks."""
        return code_lines(self.source_b, self.ranges_b)

    def to_json(self) -> dict[str, Any]:
        """Function, score and marked line ranges (`[start, end, level]`) of both sides."""
        return {
            "function": self.function,
            "score": round(self.score, SCORE_DIGITS),
            "lines_a": [[r.start, r.end, r.level.value] for r in self.ranges_a],
            "lines_b": [[r.start, r.end, r.level.value] for r in self.ranges_b],
        }


@dataclass(frozen=True)
class SimilarPair:
    """Two students whose code is similar beyond what the class shares.

    Attributes:
        students: the two students, sorted.
        score: 0..1 over the graded functions.
        functions: the functions that stand out, most similar first.
        function_scores: every function both wrote -> its score.
        reasons: why the pair stands out, in plain words.
        matches: the functions that stand out, with both sides' code.
    """

    students: tuple[str, str]
    score: float
    functions: tuple[str, ...]
    function_scores: dict[str, float]
    reasons: tuple[str, ...]
    matches: tuple[FunctionMatch, ...]

    def to_json(self) -> dict[str, Any]:
        """The pair as in `similarity.json`."""
        return {
            "students": list(self.students),
            "score": round(self.score, SCORE_DIGITS),
            "functions": list(self.functions),
            "function_scores": {
                name: round(value, SCORE_DIGITS) for name, value in self.function_scores.items()
            },
            "reasons": list(self.reasons),
            "matches": [match.to_json() for match in self.matches],
        }


@dataclass(frozen=True)
class Cluster:
    """Three or more students connected by reported pairs."""

    students: tuple[str, ...]
    score: float
    pairs: int

    def to_json(self) -> dict[str, Any]:
        """The cluster as in `similarity.json`."""
        return {
            "students": list(self.students),
            "score": round(self.score, SCORE_DIGITS),
            "pairs": self.pairs,
        }


@dataclass(frozen=True)
class SimilarityReport:
    """Every pair worth a look in a class, most similar first, and their clusters.

    Attributes:
        pairs: reported pairs, highest score first.
        clusters: groups of three or more students connected by reported pairs.
        students: how many submissions were compared.
        functions: the functions compared.
        threshold: the score from which a pair is reported.
    """

    pairs: tuple[SimilarPair, ...]
    clusters: tuple[Cluster, ...]
    students: int
    functions: tuple[str, ...]
    threshold: float

    def to_json(self) -> dict[str, Any]:
        """`{"pairs": [{"students": [a, b], "score": s, "functions": [...], ...}],
        "clusters": [{"students": [...], "score": s, "pairs": n}]}`."""
        return {
            "pairs": [pair.to_json() for pair in self.pairs],
            "clusters": [cluster.to_json() for cluster in self.clusters],
        }


def code_lines(source: str, ranges: tuple[LineRange, ...]) -> tuple[CodeLine, ...]:
    """`source` split into numbered lines, each with the mark of the range covering it."""
    marks = {line: r.level for r in ranges for line in range(r.start, r.end + 1)}
    return tuple(
        CodeLine(number, text, marks.get(number))
        for number, text in enumerate(source.splitlines(), 1)
    )


def find_clusters(pairs: tuple[SimilarPair, ...]) -> tuple[Cluster, ...]:
    """Connected groups of three or more students among the reported pairs, largest first."""
    parent: dict[str, str] = {}

    def root(student: str) -> str:
        while parent.setdefault(student, student) != student:
            parent[student] = parent[parent[student]]
            student = parent[student]
        return student

    for pair in pairs:
        parent[root(pair.students[0])] = root(pair.students[1])
    groups: dict[str, list[str]] = {}
    for student in parent:
        groups.setdefault(root(student), []).append(student)
    clusters = []
    for members in groups.values():
        if len(members) < 3:
            continue
        inside = [p for p in pairs if p.students[0] in members]
        best = max(p.score for p in inside)
        clusters.append(Cluster(tuple(sorted(members)), best, len(inside)))
    return tuple(sorted(clusters, key=lambda c: (-len(c.students), -c.score, c.students)))


def plural(count: int) -> str:
    """ "s" unless `count` is 1."""
    return "" if count == 1 else "s"
