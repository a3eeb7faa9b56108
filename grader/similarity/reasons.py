"""Why a pair stands out, in plain words: what the two share, rarest evidence first.

Each reason is a noun phrase (the report says "They share: ..."); the wording lives in
`report.py` as named constants. Nothing here says that anyone copied.
"""

from __future__ import annotations

from grader.similarity.index import MarkKind
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
    plural,
)
from grader.similarity.scoring import FunctionScore, SharedMark


def describe(score: FunctionScore, rare_limit: int) -> list[str]:
    """What the pair shares in one function (or how much of it, when nothing stands out).

    Args:
        score: the function's comparison.
        rare_limit: the most students a name or comment may be shared by to be named.
    """
    function = score.function
    by_kind: dict[MarkKind, list[SharedMark]] = {}
    for mark in score.marks:
        by_kind.setdefault(mark.kind, []).append(mark)
    reasons = [
        REASON_WHOLE.format(function=function, who=_who(mark.others, exact=True))
        for mark in by_kind.get(MarkKind.FUNCTION, [])
    ]
    if score.statements:
        count, who = score.statements, _who(score.most_others)
        reasons.append(
            REASON_STATEMENTS.format(count=count, s=plural(count), function=function, who=who)
        )
    reasons += _naming_reasons(by_kind, function, rare_limit)
    reasons += _comment_reasons(by_kind, function, rare_limit)
    for mark in by_kind.get(MarkKind.OUTPUT, []):
        others = mark.others
        reasons.append(
            REASON_OUTPUT_ALONE.format(function=function)
            if others == 0
            else REASON_OUTPUT_FEW.format(function=function, others=others, s=plural(others))
        )
    percent = round(100 * score.similarity)
    return reasons or [REASON_CLOSE.format(percent=percent, function=function)]


def _naming_reasons(
    by_kind: dict[MarkKind, list[SharedMark]], function: str, rare_limit: int
) -> list[str]:
    """The same names for all variables, or else the unusual names both chose."""
    if MarkKind.NAMING in by_kind:
        mark = by_kind[MarkKind.NAMING][0]
        names = ", ".join(f"`{n}`" for n in mark.text.split()[:NAMING_SHOWN])
        return [REASON_NAMING.format(function=function, names=names)]
    rare = [m.text for m in by_kind.get(MarkKind.NAME, []) if m.others + 2 <= rare_limit]
    if not rare:
        return []
    names = ", ".join(f"`{name}`" for name in rare[:NAMES_SHOWN])
    return [REASON_NAMES.format(s=plural(len(rare)), names=names, function=function)]


def _comment_reasons(
    by_kind: dict[MarkKind, list[SharedMark]], function: str, rare_limit: int
) -> list[str]:
    """The same sequence of comments, and the rare comments both wrote."""
    reasons = [REASON_COMMENTS.format(function=function)] if MarkKind.COMMENTS in by_kind else []
    comments = [m.text for m in by_kind.get(MarkKind.COMMENT, []) if m.others + 2 <= rare_limit]
    reasons += [
        REASON_COMMENT.format(text=text, function=function) for text in comments[:COMMENTS_SHOWN]
    ]
    return reasons


def _who(others: int, exact: bool = False) -> str:
    """ "no one else wrote", "at most 2 others also wrote", or "only 2 others also wrote"."""
    if others == 0:
        return WHO_NO_ONE
    return (WHO_EXACTLY if exact else WHO_FEW).format(others=others, s=plural(others))
