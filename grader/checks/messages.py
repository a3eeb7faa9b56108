"""Messages a student reads when a value does not match, kept out of the comparison logic."""

NOT_NONE = "{path} should be None, but it is {got}."
NOT_EQUAL = "{path} should be {expected!r}, but it is {got!r}."
NOT_SEQUENCE = "{path} should be a tuple of {count} values, but it is {got}."
WRONG_COUNT = "{path} should hold {count} values, but it holds {got}."
WRONG_LENGTH = "{path} should have {count} values{names}, but it has {got}."
NOT_DICT = "{path} should be a dict with keys {keys}, but it is {got}."
MISSING_KEYS = "{path} is missing the key(s) {missing} (expected keys: {keys})."
NOT_SCALAR_ARRAY = "{path} should be a single number, but it is an array of shape {shape}.{hint}"
SCALAR_HINT = " Use float(...) or np.squeeze(...) to turn it into a number."
NOT_NUMBER = "{path} should be a number, but it is {got}."
SCALAR_NONFINITE = "{path} is {got}, but it should be a finite number."
SCALAR_VALUES = "expected {expected}, got {got}"
WRONG_VALUE = "{path} has the wrong value."
NOT_ARRAY = "{path} should be a numpy array of shape {shape}, but it is {got}."
WRONG_SHAPE = "{path} has shape {got}, but it should have shape {expected}."
WRONG_DTYPE = "{path} has dtype {got}, but it should hold {want} numbers."
ARRAY_NONFINITE = (
    "{path} contains {count} NaN or infinite value(s) where the answer is finite "
    "(first: {value} at index {index})."
)
WRONG_VALUES = "{path} has the right shape but wrong values."
MISMATCH_COUNT = "{bad} of {total} entries differ from the expected values"
FIRST_BAD = "first difference at index {index}: expected {expected}, got {got}"
MAX_ERRORS = "largest absolute error {abs}, largest relative error {rel}"
HINT_TRANSPOSED = "It looks transposed: check the order of the operands or add .T."
HINT_RANK1 = (
    "It is a 1-D array; the answer is 2-D with shape {expected}. Keep the dimension "
    "(e.g. keepdims=True or .reshape)."
)
HINT_SAME_SIZE = "It has the right number of entries arranged in the wrong shape."
HINT_BROADCAST = (
    "It is larger than expected in some dimension: numpy may have broadcast two arrays "
    "of different shapes together."
)
HINT_NEGATED = "Every value has the opposite sign of the expected one."
HINT_FACTOR = "Every value is {factor} times the expected one."
HINT_FRACTION = "Every value is the expected one divided by {factor}."

# What a student reads about a hidden case: the same diagnosis without the numbers, which
# come from the hidden inputs and expected values.
HIDDEN_WRONG_SHAPE = "{path} has the wrong shape."
HIDDEN_WRONG_COUNT = "{path} holds the wrong number of values."
HIDDEN_NOT_ARRAY = "{path} should be a numpy array, but it is {got}."
HIDDEN_NOT_SCALAR_ARRAY = "{path} should be a single number, but it is an array.{hint}"
HIDDEN_NONFINITE = "{path} contains NaN or infinite values where the answer is finite."
HIDDEN_NOT_EQUAL = "{path} has the wrong value."
HIDDEN_RANK1 = (
    "It is a 1-D array; the answer is 2-D. Keep the dimension (e.g. keepdims=True or .reshape)."
)
HIDDEN_FACTOR = "Every value is the expected one multiplied by the same whole number."
HIDDEN_FRACTION = "Every value is the expected one divided by the same whole number."
