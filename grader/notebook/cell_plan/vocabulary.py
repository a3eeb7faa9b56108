"""Names that mean something to the planner: calls that seed or draw random numbers, change
objects in place, change the environment, or hide what code does (exec, globals())."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The words of `text`, for tables of names."""
    return frozenset(text.split())


DYNAMIC_NAMES = frozenset({"exec", "eval", "globals", "get_ipython", "__builtins__"})
MODULE_DYNAMIC_CALLS = frozenset({"locals", "vars"})
DYNAMIC_MODULES = frozenset({"builtins", "__main__"})
SEED_CALLS = frozenset({"seed", "set_seed", "set_random_seed", "manual_seed"})
# Methods that change the object they are called on (lists, dicts, sets, arrays, models).
MUTATING_METHODS = words(
    "append extend insert remove pop clear sort reverse update setdefault popitem add discard "
    "difference_update intersection_update symmetric_difference_update fill resize put "
    "itemset setflags partition compile fit build set_weights load_weights reset_states"
)
# Methods of random generators (`rng = np.random.default_rng(0)`): they draw.
DRAW_METHODS = words(
    "random normal uniform integers choice permutation shuffle standard_normal rand randn "
    "randint binomial poisson exponential beta gamma lognormal laplace multinomial "
    "multivariate_normal standard_exponential triangular random_sample"
)
# Calls that change where imports and files come from, or how Keras builds models: the cell
# that makes them always runs.
ENVIRONMENT_CALLS = words(
    "sys.path.append sys.path.insert sys.path.extend os.chdir os.putenv os.environ.update "
    "os.environ.setdefault site.addsitedir"
)
CONFIG_CALLS = words(
    "set_global_policy set_floatx set_image_data_format set_epsilon run_functions_eagerly "
    "enable_eager_execution disable_eager_execution set_visible_devices set_memory_growth "
    "enable_op_determinism"
)
# Functions that change their first argument in place (`np.random.shuffle(x)`).
IN_PLACE_FUNCTIONS = words("shuffle copyto fill_diagonal put putmask place reload")
