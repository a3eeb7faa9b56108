"""What an instructor reads about each cell's plan: the templates and how they are filled."""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterable

from grader.notebook.cell_plan.facts import ANY_NAME, RANDOM_STATE, CellFacts

STAR_IMPORT = "star import ({what}): run, it may define anything"
WRITES_FILE = "writes a file ({what}): run, later cells may import or read it"
CANNOT_ANALYZE = "cannot be analyzed ({what}): run"
CHANGES_ENVIRONMENT = "changes the environment ({what}): run, later cells may depend on it"
DOES_NOT_PARSE = "does not parse ({error}): run, so that its error is recorded"
NEEDED = "{what}"
NOT_NEEDED = "not needed: {what}"
ALSO = "{reason}; {what}"

IMPORTS = "imports {names}"
DEFINES = "defines {names}"
CHANGES = "changes {names}"
SEEDS = "seeds the random generators"
DRAWS = "draws random numbers (the random state is needed)"
READ_BY_ANYTHING = "may be read by code the planner cannot follow (exec, globals(), magics)"
REDEFINED = "defines {names} (redefined later)"
CALLS = "calls {names}"
PLOTS = "plots"
PRINTS = "prints"
INSTALLS = "installs packages or downloads ({what}), which the sandbox cannot"
MAGICS = "only IPython commands ({names})"
LOOPS = "runs a loop"
SHOWS = "only shows values"
NO_CODE = "no code"
NOTHING_NEEDED = "nothing grading needs"

MAX_LISTED = 4
PRINT_CALLS = frozenset({"print", "display", "pprint"})
PLOT_MODULES = frozenset({"plt", "pyplot", "matplotlib", "mpl", "sns", "seaborn"})
PLOT_WORDS = ("plot", "imshow", "scatter", "hist", "savefig", "show")
# Methods worth naming in "calls ...": training and evaluating a model.
TRAINING_METHODS = frozenset({"fit", "fit_generator", "train_on_batch", "evaluate", "predict"})
BUILTIN_NAMES = frozenset(dir(builtins))


def listed(names: Iterable[str]) -> str:
    """`a, b, c, d and 2 more`: names in a stable order, at most MAX_LISTED of them."""
    names = list(dict.fromkeys(names))
    shown = ", ".join(names[:MAX_LISTED])
    rest = len(names) - MAX_LISTED
    return f"{shown} and {rest} more" if rest > 0 else shown


def needed_reason(facts: CellFacts, provided: Collection[str]) -> str:
    """Why a cell runs: the names it provides to what grading needs."""
    imports = dict(facts.imports)
    parts = []
    imported = [imports[name] for name in sorted(provided) if name in imports]
    if imported:
        parts.append(IMPORTS.format(names=listed(imported)))
    bound = facts.binds | facts.maybe_binds
    plain = sorted(set(provided) - set(imports) - {RANDOM_STATE, ANY_NAME})
    defined = [name for name in plain if name in bound and name not in facts.changes]
    if defined:
        parts.append(DEFINES.format(names=listed(defined)))
    changed = [name for name in plain if name not in defined]
    if changed:
        parts.append(CHANGES.format(names=listed(changed)))
    if RANDOM_STATE in provided:
        parts.append(SEEDS if RANDOM_STATE in facts.binds else DRAWS)
    if ANY_NAME in provided:
        parts.append(READ_BY_ANYTHING)
    return "; ".join(parts)


def skipped_reason(facts: CellFacts, redefined: Collection[str]) -> str:
    """Why a cell does not run: what it does, none of which grading needs."""
    parts = []
    imports = dict(facts.imports)
    if imports:
        parts.append(IMPORTS.format(names=listed(imports.values())))
    defined = sorted((facts.binds | facts.maybe_binds) - set(imports) - {RANDOM_STATE})
    if defined:
        later = all(name in redefined for name in defined)
        parts.append((REDEFINED if later else DEFINES).format(names=listed(defined)))
    calls = [name for name in facts.calls if _is_notable_call(name)]
    if calls:
        parts.append(CALLS.format(names=listed(calls)))
    if any(_is_plot(name) for name in facts.calls):
        parts.append(PLOTS)
    if any(name in PRINT_CALLS for name in facts.calls):
        parts.append(PRINTS)
    if RANDOM_STATE in facts.binds:
        parts.append(SEEDS)
    if facts.installs:
        parts.append(INSTALLS.format(what=listed(facts.installs)))
    if not parts:
        parts.append(_what_else(facts))
    return NOT_NEEDED.format(what="; ".join(parts))


def _what_else(facts: CellFacts) -> str:
    """What a cell does that none of the usual words describe."""
    kinds = facts.statements - {"Pass"}
    if facts.magics:
        return MAGICS.format(names=listed(facts.magics))
    if kinds & {"For", "While", "AsyncFor"}:
        return LOOPS
    if kinds and kinds <= {"Expr"}:
        return SHOWS
    return NOTHING_NEEDED if kinds else NO_CODE


def _is_plot(name: str) -> bool:
    parts = name.split(".")
    last = parts[-1].lower()
    return parts[0] in PLOT_MODULES or any(word in last for word in PLOT_WORDS)


def _is_notable_call(name: str) -> bool:
    parts = name.split(".")
    if _is_plot(name) or name in PRINT_CALLS:
        return False
    if len(parts) == 1:
        return name not in BUILTIN_NAMES
    return parts[-1] in TRAINING_METHODS
