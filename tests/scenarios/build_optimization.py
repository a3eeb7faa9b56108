"""Write the scenario notebooks of `optimization`.

    .venv/bin/python tests/scenarios/build_optimization.py

Every scenario is the same course-style notebook (imports, one cell per graded function, the
notebook's own `model` and a short training run) with one change: a function's source patched
to make one known mistake, or replaced by a correct one in another style. The file name says
what the submission does; `optimization/expected.toml` says how it should be graded (maintained
by hand, never written here). The output is deterministic (fixed cell ids).
"""

# ruff: noqa: E501  (notebook cells reproduce the course's code, long lines included)

from __future__ import annotations

from pathlib import Path

from scenario_kit import (
    Scenario,
    function_cells,
    main,
    patch,
    patches_in,
    write_assignment,
)

ASSIGNMENT = "optimization"
FUNCTIONS = (
    "update_parameters_with_gd",
    "random_mini_batches",
    "initialize_velocity",
    "update_parameters_with_momentum",
    "initialize_rmsprop",
    "update_parameters_with_rmsprop",
    "initialize_adam",
    "update_parameters_with_adam",
)

# --- The correct submission, in the course's style -------------------------------------------

CORRECT = {
    "update_parameters_with_gd": '''\
# GRADED FUNCTION: update_parameters_with_gd

def update_parameters_with_gd(parameters, grads, learning_rate):
    """
    Update parameters using one step of gradient descent
    """
    L = len(parameters) // 2  # number of layers in the neural networks

    # Update rule for each parameter
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters
''',
    "random_mini_batches": '''\
# GRADED FUNCTION: random_mini_batches

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """
    Creates a list of random minibatches from (X, Y)
    """
    np.random.seed(seed)
    m = X.shape[1]
    mini_batches = []

    # Step 1: Shuffle (X, Y)
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))

    # Step 2: Partition (shuffled_X, shuffled_Y), minus the end case.
    num_complete_minibatches = math.floor(m / mini_batch_size)
    for k in range(0, num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * mini_batch_size : (k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size : (k + 1) * mini_batch_size]
        mini_batch = (mini_batch_X, mini_batch_Y)
        mini_batches.append(mini_batch)

    # Handling the end case (last mini-batch < mini_batch_size)
    if m % mini_batch_size != 0:
        mini_batch_X = shuffled_X[:, num_complete_minibatches * mini_batch_size :]
        mini_batch_Y = shuffled_Y[:, num_complete_minibatches * mini_batch_size :]
        mini_batch = (mini_batch_X, mini_batch_Y)
        mini_batches.append(mini_batch)

    return mini_batches
''',
    "initialize_velocity": '''\
# GRADED FUNCTION: initialize_velocity

def initialize_velocity(parameters):
    """
    Initializes the velocity as a python dictionary with keys "dW1", "db1", ..., "dWL", "dbL"
    """
    L = len(parameters) // 2
    v = {}

    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return v
''',
    "update_parameters_with_momentum": '''\
# GRADED FUNCTION: update_parameters_with_momentum

def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """
    Update parameters using Momentum
    """
    L = len(parameters) // 2

    for l in range(1, L + 1):
        # compute velocities
        v["dW" + str(l)] = beta * v["dW" + str(l)] + (1 - beta) * grads["dW" + str(l)]
        v["db" + str(l)] = beta * v["db" + str(l)] + (1 - beta) * grads["db" + str(l)]
        # update parameters
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * v["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * v["db" + str(l)]

    return parameters, v
''',
    "initialize_rmsprop": '''\
# GRADED FUNCTION: initialize_rmsprop

def initialize_rmsprop(parameters):
    """
    Initializes s as a python dictionary with keys "dW1", "db1", ..., "dWL", "dbL"
    """
    L = len(parameters) // 2
    s = {}

    for l in range(1, L + 1):
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        s["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return s
''',
    "update_parameters_with_rmsprop": '''\
# GRADED FUNCTION: update_parameters_with_rmsprop

def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    """
    Update parameters using RMSprop
    """
    L = len(parameters) // 2

    for l in range(1, L + 1):
        s["dW" + str(l)] = beta2 * s["dW" + str(l)] + (1 - beta2) * np.square(grads["dW" + str(l)])
        s["db" + str(l)] = beta2 * s["db" + str(l)] + (1 - beta2) * np.square(grads["db" + str(l)])
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)] / (np.sqrt(s["dW" + str(l)]) + epsilon)
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)] / (np.sqrt(s["db" + str(l)]) + epsilon)

    return parameters, s
''',
    "initialize_adam": '''\
# GRADED FUNCTION: initialize_adam

def initialize_adam(parameters):
    """
    Initializes v and s as two python dictionaries with keys "dW1", "db1", ..., "dWL", "dbL"
    """
    L = len(parameters) // 2
    v = {}
    s = {}

    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        s["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)

    return v, s
''',
    "update_parameters_with_adam": '''\
# GRADED FUNCTION: update_parameters_with_adam

def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    """
    Update parameters using Adam
    """
    L = len(parameters) // 2
    v_corrected = {}
    s_corrected = {}

    for l in range(1, L + 1):
        # Moving average of the gradients.
        v["dW" + str(l)] = beta1 * v["dW" + str(l)] + (1 - beta1) * grads["dW" + str(l)]
        v["db" + str(l)] = beta1 * v["db" + str(l)] + (1 - beta1) * grads["db" + str(l)]

        # Compute bias-corrected first moment estimate.
        v_corrected["dW" + str(l)] = v["dW" + str(l)] / (1 - np.power(beta1, t))
        v_corrected["db" + str(l)] = v["db" + str(l)] / (1 - np.power(beta1, t))

        # Moving average of the squared gradients.
        s["dW" + str(l)] = beta2 * s["dW" + str(l)] + (1 - beta2) * np.power(grads["dW" + str(l)], 2)
        s["db" + str(l)] = beta2 * s["db" + str(l)] + (1 - beta2) * np.power(grads["db" + str(l)], 2)

        # Compute bias-corrected second raw moment estimate.
        s_corrected["dW" + str(l)] = s["dW" + str(l)] / (1 - np.power(beta2, t))
        s_corrected["db" + str(l)] = s["db" + str(l)] / (1 - np.power(beta2, t))

        # Update parameters.
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * v_corrected["dW" + str(l)] / (np.sqrt(s_corrected["dW" + str(l)]) + epsilon)
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * v_corrected["db" + str(l)] / (np.sqrt(s_corrected["db" + str(l)]) + epsilon)

    return parameters, v, s, v_corrected, s_corrected
''',
}

# --- Correct submissions in other styles -------------------------------------------------------

# New dicts (the inputs untouched), f-strings, np.zeros_like, a generator for the shuffle and
# np.split for the partition.
FUNCTIONAL = {
    "update_parameters_with_gd": """\
# GRADED FUNCTION: update_parameters_with_gd

def update_parameters_with_gd(parameters, grads, learning_rate):
    new_parameters = copy.deepcopy(parameters)
    for l in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            new_parameters[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * grads[f"d{p}{l}"]
    return new_parameters
""",
    "random_mini_batches": """\
# GRADED FUNCTION: random_mini_batches

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    permutation = rng.permutation(m)
    cuts = list(range(mini_batch_size, m, mini_batch_size))
    batches_X = np.split(X[:, permutation], cuts, axis=1)
    batches_Y = np.split(Y[:, permutation], cuts, axis=1)
    return list(zip(batches_X, batches_Y))
""",
    "initialize_velocity": """\
# GRADED FUNCTION: initialize_velocity

def initialize_velocity(parameters):
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
""",
    "update_parameters_with_momentum": """\
# GRADED FUNCTION: update_parameters_with_momentum

def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_parameters, new_v = {}, {}
    for key, value in parameters.items():
        new_v["d" + key] = beta * v["d" + key] + (1 - beta) * grads["d" + key]
        new_parameters[key] = value - learning_rate * new_v["d" + key]
    return new_parameters, new_v
""",
    "initialize_rmsprop": """\
# GRADED FUNCTION: initialize_rmsprop

def initialize_rmsprop(parameters):
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
""",
    "update_parameters_with_rmsprop": """\
# GRADED FUNCTION: update_parameters_with_rmsprop

def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    new_parameters, new_s = {}, {}
    for key, value in parameters.items():
        g = grads["d" + key]
        new_s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g * g
        new_parameters[key] = value - learning_rate * g / (new_s["d" + key] ** 0.5 + epsilon)
    return new_parameters, new_s
""",
    "initialize_adam": """\
# GRADED FUNCTION: initialize_adam

def initialize_adam(parameters):
    v = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    s = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    return v, s
""",
    "update_parameters_with_adam": """\
# GRADED FUNCTION: update_parameters_with_adam

def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for key, value in parameters.items():
        g, k = grads["d" + key], "d" + key
        new_v[k] = beta1 * v[k] + (1 - beta1) * g
        new_s[k] = beta2 * s[k] + (1 - beta2) * g ** 2
        v_corrected[k] = new_v[k] / (1 - beta1 ** t)
        s_corrected[k] = new_s[k] / (1 - beta2 ** t)
        new_parameters[key] = value - learning_rate * v_corrected[k] / (np.sqrt(s_corrected[k]) + epsilon)
    return new_parameters, new_v, new_s, v_corrected, s_corrected
""",
}

# In-place updates with -= on the arrays of the input dicts (accepted: the course's functions
# update the dicts they are given), and a shuffle through np.random.shuffle of an index array.
IN_PLACE = {
    "update_parameters_with_gd": """\
# GRADED FUNCTION: update_parameters_with_gd

def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] -= learning_rate * grads["db" + str(l + 1)]
    return parameters
""",
    "random_mini_batches": """\
# GRADED FUNCTION: random_mini_batches

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    order = np.arange(m)
    np.random.shuffle(order)
    mini_batches = []
    for start in range(0, m, mini_batch_size):
        idx = order[start:start + mini_batch_size]
        mini_batches.append((X[:, idx], Y[:, idx]))
    return mini_batches
""",
    "update_parameters_with_momentum": """\
# GRADED FUNCTION: update_parameters_with_momentum

def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        for p in ("W", "b"):
            key = p + str(l + 1)
            v["d" + key] *= beta
            v["d" + key] += (1 - beta) * grads["d" + key]
            parameters[key] -= learning_rate * v["d" + key]
    return parameters, v
""",
    "update_parameters_with_rmsprop": """\
# GRADED FUNCTION: update_parameters_with_rmsprop

def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    L = len(parameters) // 2
    for l in range(L):
        for p in ("W", "b"):
            key = p + str(l + 1)
            s["d" + key] *= beta2
            s["d" + key] += (1 - beta2) * grads["d" + key] ** 2
            parameters[key] -= learning_rate * grads["d" + key] / (np.sqrt(s["d" + key]) + epsilon)
    return parameters, s
""",
    "update_parameters_with_adam": """\
# GRADED FUNCTION: update_parameters_with_adam

def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected = {}
    s_corrected = {}
    for l in range(L):
        for p in ("W", "b"):
            key = "d" + p + str(l + 1)
            v[key] *= beta1
            v[key] += (1 - beta1) * grads[key]
            s[key] *= beta2
            s[key] += (1 - beta2) * grads[key] ** 2
            v_corrected[key] = v[key] / (1 - beta1 ** t)
            s_corrected[key] = s[key] / (1 - beta2 ** t)
            parameters[p + str(l + 1)] -= learning_rate * v_corrected[key] / (np.sqrt(s_corrected[key]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected
""",
}

# Single precision inside the update rules (tolerances widen for float32 answers).
FLOAT32 = {
    "update_parameters_with_rmsprop": """\
# GRADED FUNCTION: update_parameters_with_rmsprop

def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    new_parameters, new_s = {}, {}
    for key, value in parameters.items():
        g = grads["d" + key].astype(np.float32)
        new_s["d" + key] = np.float32(beta2) * s["d" + key].astype(np.float32) + np.float32(1 - beta2) * g * g
        step = g / (np.sqrt(new_s["d" + key]) + np.float32(epsilon))
        new_parameters[key] = value.astype(np.float32) - np.float32(learning_rate) * step
    return new_parameters, new_s
""",
    "update_parameters_with_adam": """\
# GRADED FUNCTION: update_parameters_with_adam

def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    f = np.float32
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for key, value in parameters.items():
        k = "d" + key
        g = grads[k].astype(f)
        new_v[k] = f(beta1) * v[k].astype(f) + f(1 - beta1) * g
        new_s[k] = f(beta2) * s[k].astype(f) + f(1 - beta2) * g * g
        v_corrected[k] = new_v[k] / f(1 - beta1 ** t)
        s_corrected[k] = new_s[k] / f(1 - beta2 ** t)
        new_parameters[key] = value.astype(f) - f(learning_rate) * v_corrected[k] / (np.sqrt(s_corrected[k]) + f(epsilon))
    return new_parameters, new_v, new_s, v_corrected, s_corrected
""",
}

NOT_IMPLEMENTED = {
    name: f"# GRADED FUNCTION: {name}\n\ndef {signature}:\n    raise NotImplementedError()\n"
    for name, signature in (
        (
            "update_parameters_with_gd",
            "update_parameters_with_gd(parameters, grads, learning_rate)",
        ),
        ("random_mini_batches", "random_mini_batches(X, Y, mini_batch_size=64, seed=0)"),
        ("initialize_velocity", "initialize_velocity(parameters)"),
        (
            "update_parameters_with_momentum",
            "update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)",
        ),
        ("initialize_rmsprop", "initialize_rmsprop(parameters)"),
        (
            "update_parameters_with_rmsprop",
            "update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8)",
        ),
        ("initialize_adam", "initialize_adam(parameters)"),
        (
            "update_parameters_with_adam",
            "update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, "
            "beta1=0.9, beta2=0.999, epsilon=1e-8)",
        ),
    )
}

# --- Scenarios -----------------------------------------------------------------------------------


_W = 'grads["dW" + str(l)]'
_B = 'grads["db" + str(l)]'
_GD_W = f'parameters["W" + str(l)] - learning_rate * {_W}'
_GD_B = f'parameters["b" + str(l)] - learning_rate * {_B}'
_LAST_BATCH = (
    "    # Handling the end case (last mini-batch < mini_batch_size)\n"
    "    if m % mini_batch_size != 0:\n"
)
_V_W = 'v["dW" + str(l)]'
_V_B = 'v["db" + str(l)]'
_S_W = 's["dW" + str(l)]'
_S_B = 's["db" + str(l)]'
_SC_W = 's_corrected["dW" + str(l)]'
_SC_B = 's_corrected["db" + str(l)]'

SCENARIOS: dict[str, Scenario] = {
    # Correct, in different styles.
    "correct-course-style": Scenario(),
    "correct-new-dicts": Scenario(functions=FUNCTIONAL),
    "correct-in-place": Scenario(functions=IN_PLACE),
    "correct-float32": Scenario(functions=FLOAT32),
    "not-implemented": Scenario(functions=NOT_IMPLEMENTED),
    # update_parameters_with_gd
    "gd-update-sign-flipped": patches_in(
        "update_parameters_with_gd",
        (_GD_W, _GD_W.replace(" - ", " + ")),
        (_GD_B, _GD_B.replace(" - ", " + ")),
    ),
    "gd-b-not-updated": patch(
        "update_parameters_with_gd", f'        parameters["b" + str(l)] = {_GD_B}\n', ""
    ),
    "gd-last-layer-not-updated": patch(
        "update_parameters_with_gd", "range(1, L + 1)", "range(1, L)"
    ),
    # random_mini_batches
    "mini-batches-not-shuffled": patches_in(
        "random_mini_batches",
        ("shuffled_X = X[:, permutation]", "shuffled_X = X"),
        ("shuffled_Y = Y[:, permutation].reshape((1, m))", "shuffled_Y = Y.reshape((1, m))"),
    ),
    "mini-batches-y-not-shuffled": patch(
        "random_mini_batches",
        "shuffled_Y = Y[:, permutation].reshape((1, m))",
        "shuffled_Y = Y.reshape((1, m))",
    ),
    "mini-batches-overlap": patches_in(
        "random_mini_batches",
        (
            "shuffled_X[:, k * mini_batch_size : (k + 1) * mini_batch_size]",
            "shuffled_X[:, k : k + mini_batch_size]",
        ),
        (
            "shuffled_Y[:, k * mini_batch_size : (k + 1) * mini_batch_size]",
            "shuffled_Y[:, k : k + mini_batch_size]",
        ),
    ),
    "mini-batches-last-batch-dropped": patch(
        "random_mini_batches",
        _LAST_BATCH,
        "    # Handling the end case (last mini-batch < mini_batch_size)\n    if False:  # TODO\n",
    ),
    "mini-batches-empty-last-batch": patch(
        "random_mini_batches", "    if m % mini_batch_size != 0:\n", "    if True:\n"
    ),
    "mini-batches-size-ignored": patch(
        "random_mini_batches",
        "    m = X.shape[1]\n",
        "    m = X.shape[1]\n    mini_batch_size = 64  # as in the instructions\n",
    ),
    "mini-batches-equal-split": Scenario(
        functions={
            "random_mini_batches": """\
# GRADED FUNCTION: random_mini_batches

def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    num_batches = math.ceil(m / mini_batch_size)
    return list(zip(np.array_split(shuffled_X, num_batches, axis=1),
                    np.array_split(shuffled_Y, num_batches, axis=1)))
"""
        }
    ),
    # initializations
    "velocity-keys-without-d": patches_in(
        "initialize_velocity",
        ('v["dW" + str(l)] = np.zeros', 'v["W" + str(l)] = np.zeros'),
        ('v["db" + str(l)] = np.zeros', 'v["b" + str(l)] = np.zeros'),
    ),
    "velocity-last-layer-missing": patch("initialize_velocity", "range(1, L + 1)", "range(1, L)"),
    "rmsprop-init-keys-without-d": patches_in(
        "initialize_rmsprop",
        ('s["dW" + str(l)] = np.zeros', 's["W" + str(l)] = np.zeros'),
        ('s["db" + str(l)] = np.zeros', 's["b" + str(l)] = np.zeros'),
    ),
    "rmsprop-init-last-layer-missing": patch(
        "initialize_rmsprop", "range(1, L + 1)", "range(1, L)"
    ),
    "adam-init-keys-without-d": patches_in(
        "initialize_adam",
        ('v["dW" + str(l)] = np.zeros', 'v["W" + str(l)] = np.zeros'),
        ('v["db" + str(l)] = np.zeros', 'v["b" + str(l)] = np.zeros'),
        ('s["dW" + str(l)] = np.zeros', 's["W" + str(l)] = np.zeros'),
        ('s["db" + str(l)] = np.zeros', 's["b" + str(l)] = np.zeros'),
    ),
    "adam-init-last-layer-missing": patch("initialize_adam", "range(1, L + 1)", "range(1, L)"),
    # momentum
    "momentum-missing-one-minus-beta": patches_in(
        "update_parameters_with_momentum",
        (f"(1 - beta) * {_W}", _W),
        (f"(1 - beta) * {_B}", _B),
    ),
    "momentum-beta-weights-swapped": patches_in(
        "update_parameters_with_momentum",
        (f"beta * {_V_W} + (1 - beta) * {_W}", f"(1 - beta) * {_V_W} + beta * {_W}"),
        (f"beta * {_V_B} + (1 - beta) * {_B}", f"(1 - beta) * {_V_B} + beta * {_B}"),
    ),
    "momentum-update-with-raw-gradient": patches_in(
        "update_parameters_with_momentum",
        (f"learning_rate * {_V_W}", f"learning_rate * {_W}"),
        (f"learning_rate * {_V_B}", f"learning_rate * {_B}"),
    ),
    # RMSprop
    "rmsprop-epsilon-inside-sqrt": patches_in(
        "update_parameters_with_rmsprop",
        (f"(np.sqrt({_S_W}) + epsilon)", f"np.sqrt({_S_W} + epsilon)"),
        (f"(np.sqrt({_S_B}) + epsilon)", f"np.sqrt({_S_B} + epsilon)"),
    ),
    "rmsprop-sqrt-missing": patches_in(
        "update_parameters_with_rmsprop",
        (f"(np.sqrt({_S_W}) + epsilon)", f"({_S_W} + epsilon)"),
        (f"(np.sqrt({_S_B}) + epsilon)", f"({_S_B} + epsilon)"),
    ),
    "rmsprop-gradient-not-squared": patches_in(
        "update_parameters_with_rmsprop",
        (f"np.square({_W})", _W),
        (f"np.square({_B})", _B),
    ),
    # Adam
    "adam-epsilon-inside-sqrt": patches_in(
        "update_parameters_with_adam",
        (f"(np.sqrt({_SC_W}) + epsilon)", f"np.sqrt({_SC_W} + epsilon)"),
        (f"(np.sqrt({_SC_B}) + epsilon)", f"np.sqrt({_SC_B} + epsilon)"),
    ),
    "adam-bias-correction-without-t": patches_in(
        "update_parameters_with_adam",
        ("(1 - np.power(beta1, t))", "(1 - beta1)"),
        ("(1 - np.power(beta2, t))", "(1 - beta2)"),
    ),
    "adam-betas-swapped": patches_in(
        "update_parameters_with_adam",
        ("beta1 * v[", "beta2 * v["),
        ("(1 - beta1) * grads", "(1 - beta2) * grads"),
        ("np.power(beta1, t)", "np.power(beta2_, t)"),
        ("beta2 * s[", "beta1 * s["),
        ("(1 - beta2) * np.power", "(1 - beta1) * np.power"),
        ("np.power(beta2, t)", "np.power(beta1, t)"),
        ("np.power(beta2_, t)", "np.power(beta2, t)"),
    ),
    "adam-update-uses-uncorrected": patches_in(
        "update_parameters_with_adam",
        (
            f'learning_rate * v_corrected["dW" + str(l)] / (np.sqrt({_SC_W})',
            f"learning_rate * {_V_W} / (np.sqrt({_S_W})",
        ),
        (
            f'learning_rate * v_corrected["db" + str(l)] / (np.sqrt({_SC_B})',
            f"learning_rate * {_V_B} / (np.sqrt({_S_B})",
        ),
    ),
}

# --- Notebook layout ---------------------------------------------------------------------------

IMPORTS = """\
import numpy as np
import matplotlib.pyplot as plt
import scipy.io
import math
import sklearn
import sklearn.datasets
import copy

from opt_utils_v1a import load_params_and_grads, initialize_parameters, forward_propagation, backward_propagation
from opt_utils_v1a import compute_cost, predict, predict_dec, plot_decision_boundary, load_dataset
from testCases import *

%matplotlib inline
plt.rcParams['figure.figsize'] = (7.0, 4.0)
"""

TRY_GD = """\
parameters, grads, learning_rate = update_parameters_with_gd_test_case()
parameters = update_parameters_with_gd(parameters, grads, learning_rate)
print("W1 =\\n" + str(parameters["W1"]))
print("b2 =\\n" + str(parameters["b2"]))
"""

TRY_MINI_BATCHES = """\
X_assess, Y_assess, mini_batch_size = random_mini_batches_test_case()
mini_batches = random_mini_batches(X_assess, Y_assess, mini_batch_size)
print("shape of the 1st mini_batch_X: " + str(mini_batches[0][0].shape))
print("shape of the 3rd mini_batch_X: " + str(mini_batches[2][0].shape))
"""

TRY_ADAM = """\
parameters, grads, v, s, t = update_parameters_with_adam_test_case()
parameters, v, s, v_corrected, s_corrected = update_parameters_with_adam(parameters, grads, v, s, t)
print("W1 =\\n" + str(parameters["W1"]))
print("v[\\"db2\\"] =\\n" + str(v["db2"]))
"""

LOAD = """\
train_X, train_Y = load_dataset()
print(train_X.shape, train_Y.shape)
"""

MODEL = '''\
def model(X, Y, layers_dims, optimizer, learning_rate=0.0007, mini_batch_size=64, beta=0.9,
          beta1=0.9, beta2=0.999, epsilon=1e-8, num_epochs=5000, print_cost=True):
    """
    3-layer neural network model which can be run in different optimizer modes.
    """
    costs = []
    t = 0
    seed = 10
    m = X.shape[1]

    parameters = initialize_parameters(layers_dims)
    if optimizer == "momentum":
        v = initialize_velocity(parameters)
    elif optimizer == "rmsprop":
        s = initialize_rmsprop(parameters)
    elif optimizer == "adam":
        v, s = initialize_adam(parameters)

    for i in range(num_epochs):
        seed = seed + 1
        minibatches = random_mini_batches(X, Y, mini_batch_size, seed)
        cost_total = 0
        for minibatch in minibatches:
            (minibatch_X, minibatch_Y) = minibatch
            a3, caches = forward_propagation(minibatch_X, parameters)
            cost_total += compute_cost(a3, minibatch_Y)
            grads = backward_propagation(minibatch_X, minibatch_Y, caches)
            if optimizer == "gd":
                parameters = update_parameters_with_gd(parameters, grads, learning_rate)
            elif optimizer == "momentum":
                parameters, v = update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)
            elif optimizer == "rmsprop":
                parameters, s = update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon)
            elif optimizer == "adam":
                t = t + 1
                parameters, v, s, _, _ = update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)
        cost_avg = cost_total / m
        if i % 100 == 0:
            costs.append(cost_avg)
            if print_cost:
                print("Cost after epoch %i: %f" % (i, cost_avg))
    return parameters
'''

TRAIN = """\
layers_dims = [train_X.shape[0], 5, 2, 1]
parameters = model(train_X, train_Y, layers_dims, optimizer="adam", learning_rate=0.01, num_epochs=300)
predictions = predict(train_X, train_Y, parameters)
"""

HEADINGS = {
    "update_parameters_with_gd": "## 1 - Gradient Descent\n\n**Exercise 1 - "
    "update_parameters_with_gd**: $W^{[l]} = W^{[l]} - \\alpha \\, dW^{[l]}$, "
    "$b^{[l]} = b^{[l]} - \\alpha \\, db^{[l]}$.",
    "random_mini_batches": "## 2 - Mini-Batch Gradient Descent\n\n**Exercise 2 - "
    "random_mini_batches**: shuffle, then partition into batches of `mini_batch_size`.",
    "initialize_velocity": "## 3 - Momentum\n\n**Exercise 3 - initialize_velocity**",
    "update_parameters_with_momentum": "**Exercise 4 - update_parameters_with_momentum**: "
    "$v_{dW} = \\beta v_{dW} + (1 - \\beta) dW$, $W = W - \\alpha v_{dW}$.",
    "initialize_rmsprop": "## 4 - RMSprop\n\n**Exercise 5 - initialize_rmsprop**",
    "update_parameters_with_rmsprop": "**Exercise 6 - update_parameters_with_rmsprop**: "
    "$s_{dW} = \\beta_2 s_{dW} + (1 - \\beta_2) dW^2$, "
    "$W = W - \\alpha \\frac{dW}{\\sqrt{s_{dW}} + \\varepsilon}$.",
    "initialize_adam": "## 5 - Adam\n\n**Exercise 7 - initialize_adam**",
    "update_parameters_with_adam": "**Exercise 8 - update_parameters_with_adam**: moving "
    "averages, bias correction with $1 - \\beta^t$, then the update.",
}

TRIES = {
    "update_parameters_with_gd": TRY_GD,
    "random_mini_batches": TRY_MINI_BATCHES,
    "update_parameters_with_adam": TRY_ADAM,
}


def layout(functions: dict[str, str]) -> list[tuple[str, str]]:
    """The cells of a submission as (cell type, source), in notebook order."""
    cells = [
        (
            "markdown",
            "# Optimization Methods\n\nMethods that speed up learning and can get "
            "you to a better final value of the cost function.",
        ),
        ("code", IMPORTS),
    ]
    cells += function_cells(FUNCTIONS, HEADINGS, functions, TRIES)
    cells += [
        ("markdown", "## 6 - Model with different optimization algorithms"),
        ("code", LOAD),
        ("code", MODEL),
        ("code", TRAIN),
    ]
    return cells


def write_all() -> list[Path]:
    """Write every scenario notebook; return the paths written."""
    return write_assignment(ASSIGNMENT, CORRECT, SCENARIOS, layout)


if __name__ == "__main__":
    main(write_all)
