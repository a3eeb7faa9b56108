"""What a student reads about mistakes several assignments of the course share (their
reference solutions use these words, so the same mistake is explained the same way)."""

SIGMOID_WRONG_SIGN = (
    "Your sigmoid computes 1 / (1 + exp(z)), which is sigmoid(-z). Use np.exp(-z) in the "
    "denominator: sigmoid(z) = 1 / (1 + np.exp(-z))."
)
COST_WITHOUT_ONE_OVER_M = (
    "Your cost is m times too large: divide the summed cross-entropy by m, the number "
    "of examples (Y.shape[1])."
)
COST_NOT_SCALAR = (
    "Your cost is a 1x1 array rather than a number: turn it into one with float(np.squeeze(cost))."
)
WEIGHTS_UNIFORM = (
    "Your weights are all positive: np.random.rand draws from [0, 1). Use "
    "np.random.randn, a normal distribution centred on 0, times 0.01."
)
COSTS_EVERY_ITERATION = (
    "Your costs list has an entry for every iteration. Record the cost only every 100 "
    "iterations: append it when i % 100 == 0."
)
