"""Messages a student (or instructor) reads about a graded submission, kept out of the logic."""

NO_ASSIGNMENT = (
    "The grader could not tell which assignment this notebook belongs to. "
    "Pass --assignment ID (see `grade assignments`)."
)
GUESSED_ASSIGNMENT = (
    "No assignment was named (no --assignment, no notebook metadata); the notebook's "
    "functions match {match}, so it was graded as that assignment."
)
NO_CLEAR_ASSIGNMENT = (
    "The grader could not tell which assignment this notebook belongs to: no --assignment, no "
    "notebook metadata, and its functions match no assignment clearly (candidates: "
    "{candidates}). Pass --assignment ID (see `grade assignments`)."
)
MISSING = "`{name}` is not defined in your notebook. Define it with exactly this name: {signature}"
MISSING_CELL_HINT = " (Cell {cell} raised an error; if `{name}` is defined there, fix that cell.)"
NOT_CALLABLE = "`{name}` should be a function, but your notebook defines it as a {kind}."
TIMEOUT = "Your `{name}` did not finish within {seconds:g} seconds (an infinite loop?)."
TIMEOUT_SLOW_HIDDEN = (
    "Your `{name}` did not finish within {seconds:g} seconds, but it was not stuck: it kept "
    "calling `{helper}`. It is slow rather than looping forever: vectorize `{helper}` (numpy "
    "operations on whole arrays instead of Python loops over the examples)."
)
TIMEOUT_SLOW = (
    "Your `{name}` did not finish within {seconds:g} seconds, but it was not stuck: it had "
    "called `{helper}` {calls} times{of}, {each:.3g} s each. It is slow rather than looping "
    "forever: vectorize `{helper}` (numpy operations on whole arrays instead of Python loops "
    "over the examples)."
)
CRASHED = "Your `{name}` ended the sandbox process: {reason}."
RAISED = "Your `{name}` raised an error: {message}"
# Errors whose usual cause a student can be told, by a piece of their message.
RAISED_HINTS = (
    (
        "operands could not be broadcast together",
        "This usually means `*` (element by element) was used where a matrix product was "
        "meant: use np.dot(W, X) or W @ X, and check which operand comes first.",
    ),
    (
        "not aligned",
        "A matrix product needs the first operand's columns to match the second's rows: "
        "check the order of the operands and whether one needs a .T.",
    ),
    (
        "mismatch in its core dimension",
        "A matrix product needs the first operand's columns to match the second's rows: "
        "check the order of the operands and whether one needs a .T.",
    ),
)
MUTATED = (
    "Your `{name}` modified its argument {which} in place; graded functions should not "
    "change their inputs."
)
OWN_HELPERS = "Matches the reference run with your own {helpers}, so it was graded as correct."
GRADER_FAULT = (
    "The grader failed on this case (this is not your fault; please tell your instructor): {error}"
)
ANOTHER_MISTAKE = "Another likely mistake: {message}"
ADAPTED = (
    "Your `{name}` is written to an older version of the course's signature: the grader "
    "filled in {filled} when calling it (today's signature is `{signature}`). Nothing is "
    "taken off for this."
)
GRADER_FAULT_SUMMARY = "grader fault on {count} case(s) of {tasks} (left out of the total): {cause}"
STUBBED = (
    "The module `{name}` is not available to the grader; a stand-in replaced it so the rest "
    "of the cell could run."
)
ACCURACY_CALL = "{name}({shapes}{kwargs}) on the {dataset} data"
NOT_RUN_AFTER_TIMEOUT = (
    "Not run: two cases already timed out, so the function was not called again."
)
BROKEN_HELPER = "This may come from your `{helper}`, which fails its own checks: fix it first."
ALREADY_CHARGED = (
    "Not charged here: your `{name}` already lost points for this mistake, which explains the "
    "shortfall (the reference with the same mistake falls short too). {mistake}"
)
ACCURACY_HINT = "These functions fail their own checks and may explain it: {names}."
PROVIDED = (
    "The module `{name}` was provided by the grader (the course's helper functions; data it "
    "loads may be a small stand-in for the course's files)."
)
NOT_IMPLEMENTED = (
    "You have not implemented `{name}` yet: it still raises NotImplementedError. Replace that "
    "line with your code."
)
MUTATION_COSTS = (
    "Your `{name}` returns the right values but changed its input {which} in place, which "
    "costs {share} of this case. Build and return new values instead (e.g. copy.deepcopy the "
    "dict, or assign new arrays rather than using -= on them)."
)
PREDICT_FAILED = "No predictions could be made from what your `{name}` returned: {reason}."
