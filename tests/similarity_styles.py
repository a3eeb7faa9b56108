"""The styles a generated class writes `sigmoid`, `propagate`, `optimize` and `predict` in.

Each function is a tree of slots; each slot offers several correct ways to write it with a
weight (how popular it is), the slots it must come after, the comments students put above it,
and the variable a debugging `print` would show. Lines use `{role}` placeholders for variable
names; `derived_names` adds the expressions that depend on other choices (the residual `A - Y`
or a helper `dZ`, `grads["dw"]` or an unpacked `dw`). Every combination is a correct solution.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

FUNCTIONS = ("sigmoid", "propagate", "optimize", "predict")
Options = tuple[tuple[tuple[str, ...], int], ...]


@dataclass(frozen=True)
class Slot:
    """One statement (or a few) of a function, written in one of several styles."""

    key: str
    options: Options
    after: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    prints: str = ""  # the role a debugging print after this slot shows
    children: tuple[Slot, ...] = ()


@dataclass(frozen=True)
class FunctionSpec:
    """A function (its signature and docstring come from the release): slots, and name pools
    per role."""

    name: str
    slots: tuple[Slot, ...]
    names: dict[str, tuple[tuple[str, int], ...]]

    def all_slots(self) -> Iterator[Slot]:
        """Every slot, children included."""
        stack = list(self.slots)
        while stack:
            slot = stack.pop(0)
            yield slot
            stack.extend(slot.children)

    def levels(self) -> Iterator[tuple[str, tuple[Slot, ...]]]:
        """(parent key, its slots): "" for the function body, a slot's key for its children."""
        yield "", self.slots
        for slot in self.all_slots():
            if slot.children:
                yield slot.key, slot.children


def _o(*options: tuple[str | tuple[str, ...], int]) -> Options:
    return tuple(((lines,) if isinstance(lines, str) else lines, w) for lines, w in options)


FORWARD = _o(
    ("{A} = sigmoid(np.dot(w.T, X) + b)", 35),
    ("{A} = sigmoid(w.T @ X + b)", 15),
    (("{Z} = np.dot(w.T, X) + b", "{A} = sigmoid({Z})"), 20),
    (("{Z} = w.T @ X + b", "{A} = sigmoid({Z})"), 8),
    ("{A} = sigmoid(np.matmul(w.T, X) + b)", 5),
    ("{A} = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))", 5),
    ("{A} = sigmoid(np.dot(X.T, w).T + b)", 3),
    ("{A} = sigmoid(w.T.dot(X) + b)", 5),
)
FORWARD_COMMENTS = ("forward propagation", "compute activation", "forward pass")
LOG_LIKELIHOOD = "Y * np.log({A}) + (1 - Y) * np.log(1 - {A})"

SIGMOID = FunctionSpec(
    "sigmoid",
    (
        Slot(
            "body",
            _o(
                ("return 1 / (1 + np.exp(-z))", 40),
                (("{s} = 1 / (1 + np.exp(-z))", "return {s}"), 25),
                ("return 1.0 / (1.0 + np.exp(-z))", 8),
                (("{s} = 1.0 / (1.0 + np.exp(-z))", "return {s}"), 5),
                ("return 1 / (1 + np.e ** (-z))", 4),
                ("return np.exp(z) / (1 + np.exp(z))", 3),
                ("return 0.5 * (1 + np.tanh(0.5 * z))", 2),
                ("return np.reciprocal(1 + np.exp(-z))", 2),
                (("z = np.asarray(z, dtype=float)", "return 1 / (1 + np.exp(-z))"), 4),
                (("{s} = np.exp(-z)", "return 1 / (1 + {s})"), 3),
                ("return 1 / (1 + np.exp(-1 * z))", 3),
                ("return 1 / (np.exp(-z) + 1)", 3),
            ),
            comments=("sigmoid function", "logistic function", "compute sigmoid"),
        ),
    ),
    {"s": (("s", 60), ("sig", 10), ("result", 10), ("a", 10), ("out", 10))},
)

PROPAGATE = FunctionSpec(
    "propagate",
    (
        Slot(
            "m",
            _o(
                ("{m} = X.shape[1]", 60),
                ("{m} = Y.shape[1]", 15),
                ("{m} = X.shape[-1]", 5),
                ("{m} = len(X[0])", 5),
                ("{m} = Y.size", 3),
            ),
            comments=("number of examples", "m examples"),
        ),
        Slot("forward", FORWARD, comments=FORWARD_COMMENTS, prints="A"),
        Slot(
            "cost",
            _o(
                (f"{{cost}} = -1 / {{m}} * np.sum({LOG_LIKELIHOOD})", 30),
                (f"{{cost}} = -np.sum({LOG_LIKELIHOOD}) / {{m}}", 15),
                (f"{{cost}} = (-1 / {{m}}) * np.sum({LOG_LIKELIHOOD})", 12),
                (f"{{cost}} = -np.mean({LOG_LIKELIHOOD})", 8),
                (
                    "{cost} = -1 / {m} * np.sum(np.multiply(Y, np.log({A}))"
                    " + np.multiply(1 - Y, np.log(1 - {A})))",
                    8,
                ),
                (
                    "{cost} = -(np.dot(Y, np.log({A}).T) + np.dot(1 - Y, np.log(1 - {A}).T)) / {m}",
                    5,
                ),
                ((f"{{loss}} = {LOG_LIKELIHOOD}", "{cost} = -np.sum({loss}) / {m}"), 8),
                (
                    (
                        "{cost} = 0",
                        "for {i} in range({m}):",
                        "    {cost} += Y[0, {i}] * np.log({A}[0, {i}])"
                        " + (1 - Y[0, {i}]) * np.log(1 - {A}[0, {i}])",
                        "{cost} = -{cost} / {m}",
                    ),
                    4,
                ),
                (
                    "{cost} = -1 / {m} * (np.sum(Y * np.log({A}))"
                    " + np.sum((1 - Y) * np.log(1 - {A})))",
                    5,
                ),
            ),
            after=("m", "forward"),
            comments=("compute cost", "cross entropy cost", "cost function"),
            prints="cost",
        ),
        Slot("err", _o(("{dZ} = {A} - Y", 30), ((), 70)), after=("forward",)),
        Slot(
            "dw",
            _o(
                ("{dw} = 1 / {m} * np.dot(X, {errp}.T)", 30),
                ("{dw} = np.dot(X, {errp}.T) / {m}", 20),
                ("{dw} = (1 / {m}) * np.dot(X, {errp}.T)", 12),
                ("{dw} = X @ {errp}.T / {m}", 10),
                ("{dw} = 1 / {m} * X @ {errp}.T", 6),
                ("{dw} = np.matmul(X, {errp}.T) / {m}", 4),
                ("{dw} = X.dot({errp}.T) / {m}", 5),
                (
                    (
                        "{dw} = np.zeros(w.shape)",
                        "for {i} in range({m}):",
                        "    {dw} += X[:, {i}].reshape(-1, 1) * ({A}[0, {i}] - Y[0, {i}])",
                        "{dw} = {dw} / {m}",
                    ),
                    3,
                ),
                ("{dw} = np.sum(X * {errp}, axis=1, keepdims=True) / {m}", 3),
            ),
            after=("m", "err"),
            comments=("backward propagation", "gradient of w", "dw"),
            prints="dw",
        ),
        Slot(
            "db",
            _o(
                ("{db} = 1 / {m} * np.sum({err})", 30),
                ("{db} = np.sum({err}) / {m}", 25),
                ("{db} = (1 / {m}) * np.sum({err})", 12),
                ("{db} = np.mean({err})", 10),
                ("{db} = {errp}.sum() / {m}", 5),
            ),
            after=("m", "err"),
            comments=("gradient of b", "db"),
        ),
        Slot(
            "squeeze",
            _o(
                ("{cost} = np.squeeze(np.array({cost}))", 30),
                ("{cost} = np.squeeze({cost})", 25),
                ((), 30),
                ("{cost} = float({cost})", 15),
            ),
            after=("cost",),
        ),
        Slot(
            "return",
            _o(
                (("{grads} = {{'dw': {dw}, 'db': {db}}}", "return {grads}, {cost}"), 70),
                (("{grads} = dict(dw={dw}, db={db})", "return {grads}, {cost}"), 8),
                ("return {{'dw': {dw}, 'db': {db}}}, {cost}", 15),
                (
                    (
                        "{grads} = {{}}",
                        "{grads}['dw'] = {dw}",
                        "{grads}['db'] = {db}",
                        "return {grads}, {cost}",
                    ),
                    7,
                ),
            ),
            after=("cost", "dw", "db", "squeeze"),
        ),
    ),
    {
        "m": (("m", 85), ("n", 3), ("num_examples", 4), ("n_samples", 3), ("m_train", 3)),
        "A": (("A", 60), ("a", 8), ("y_hat", 6), ("activation", 5), ("h", 4), ("y_pred", 4)),
        "Z": (("Z", 60), ("z", 20), ("linear", 5), ("logits", 5), ("z_val", 5)),
        "cost": (("cost", 75), ("J", 10), ("loss_value", 8), ("c", 4), ("total_cost", 3)),
        "loss": (("loss", 50), ("losses", 20), ("log_likelihood", 10), ("logprobs", 20)),
        "dw": (("dw", 80), ("dW", 10), ("grad_w", 4), ("d_w", 3), ("dj_dw", 3)),
        "db": (("db", 80), ("dB", 8), ("grad_b", 4), ("d_b", 3), ("dj_db", 3)),
        "dZ": (("dZ", 60), ("dz", 25), ("err", 8), ("diff", 7), ("error", 5)),
        "grads": (("grads", 95), ("gradients", 3), ("g", 2)),
        "i": (("i", 80), ("j", 8), ("k", 6), ("idx", 6)),
    },
)

OPTIMIZE_LOOP = (
    Slot(
        "propagate",
        _o(("{grads}, {cost} = propagate(w, b, X, Y)", 100)),
        comments=("cost and gradient calculation", "forward and backward", "compute gradients"),
        prints="cost",
    ),
    Slot(
        "unpack",
        _o((("{dw} = {grads}['dw']", "{db} = {grads}['db']"), 65), ((), 35)),
        after=("propagate",),
        comments=("retrieve derivatives from grads", "get gradients"),
    ),
    Slot(
        "update",
        _o(
            (("w = w - learning_rate * {DW}", "b = b - learning_rate * {DB}"), 50),
            (("w -= learning_rate * {DW}", "b -= learning_rate * {DB}"), 20),
            (("w = w - {DW} * learning_rate", "b = b - {DB} * learning_rate"), 10),
            (
                (
                    "w = np.subtract(w, learning_rate * {DW})",
                    "b = np.subtract(b, learning_rate * {DB})",
                ),
                5,
            ),
        ),
        after=("unpack",),
        comments=("update rule", "gradient descent step", "update parameters"),
    ),
    Slot(
        "record",
        _o(
            (("if {i} % 100 == 0:", "    {costs}.append({cost})"), 70),
            (
                (
                    "if {i} % 100 == 0:",
                    "    {costs}.append({cost})",
                    "    if print_cost:",
                    "        print('Cost after iteration %i: %f' % ({i}, {cost}))",
                ),
                20,
            ),
            (("if not {i} % 100:", "    {costs}.append({cost})"), 5),
            (("if {i} % 100 == 0:", "    {costs} += [{cost}]"), 5),
        ),
        after=("propagate",),
        comments=("record the costs", "save cost every 100 iterations"),
    ),
)

OPTIMIZE = FunctionSpec(
    "optimize",
    (
        Slot(
            "copy",
            _o(
                (("w = copy.deepcopy(w)", "b = copy.deepcopy(b)"), 25),
                ("w = w.copy()", 20),
                ("w = np.array(w, copy=True)", 5),
                ((), 50),
            ),
        ),
        Slot("costs", _o(("{costs} = []", 100))),
        Slot(
            "loop",
            _o(
                ("for {i} in range(num_iterations):", 90),
                ("for {i} in range(0, num_iterations):", 10),
            ),
            after=("copy", "costs"),
            children=OPTIMIZE_LOOP,
        ),
        Slot(
            "return",
            _o(
                (("{params} = {{'w': w, 'b': b}}", "return {params}, {grads}, {costs}"), 75),
                ("return {{'w': w, 'b': b}}, {grads}, {costs}", 20),
                (("{params} = dict(w=w, b=b)", "return {params}, {grads}, {costs}"), 5),
            ),
            after=("loop",),
        ),
    ),
    {
        "grads": (("grads", 95), ("gradients", 3), ("g", 2)),
        "cost": (("cost", 80), ("J", 10), ("loss", 10)),
        "dw": (("dw", 80), ("dW", 10), ("grad_w", 5), ("d_w", 5)),
        "db": (("db", 80), ("dB", 10), ("grad_b", 5), ("d_b", 5)),
        "i": (("i", 80), ("it", 6), ("iteration", 6), ("epoch", 4), ("step", 4)),
        "costs": (("costs", 95), ("cost_history", 3), ("J_history", 2)),
        "params": (("params", 90), ("parameters", 10)),
    },
)

PREDICT = FunctionSpec(
    "predict",
    (
        Slot("m", _o(("{m} = X.shape[1]", 70), ((), 30)), comments=("number of examples",)),
        Slot("reshape", _o(("w = w.reshape(X.shape[0], 1)", 40), ((), 60))),
        Slot("forward", FORWARD, after=("reshape",), comments=FORWARD_COMMENTS, prints="A"),
        Slot(
            "classify",
            _o(
                (
                    (
                        "{Yp} = np.zeros((1, X.shape[1]))",
                        "for {i} in range({A}.shape[1]):",
                        "    {Yp}[0, {i}] = 1 if {A}[0, {i}] > 0.5 else 0",
                    ),
                    20,
                ),
                (
                    (
                        "{Yp} = np.zeros((1, X.shape[1]))",
                        "for {i} in range({A}.shape[1]):",
                        "    if {A}[0, {i}] > 0.5:",
                        "        {Yp}[0, {i}] = 1",
                        "    else:",
                        "        {Yp}[0, {i}] = 0",
                    ),
                    15,
                ),
                ("{Yp} = ({A} > 0.5).astype(float)", 20),
                ("{Yp} = np.where({A} > 0.5, 1, 0)", 10),
                ("{Yp} = np.where({A} > 0.5, 1.0, 0.0)", 5),
                ("{Yp} = ({A} > 0.5) * 1.0", 8),
                (("{Yp} = np.zeros((1, X.shape[1]))", "{Yp}[{A} > 0.5] = 1"), 8),
                ("{Yp} = np.array({A} > 0.5, dtype=float)", 5),
            ),
            after=("forward",),
            comments=("convert probabilities to predictions", "threshold at 0.5"),
            prints="Yp",
        ),
        Slot(
            "return",
            _o(("return {Yp}", 85), ("return {Yp}.reshape(1, X.shape[1])", 15)),
            after=("classify", "m"),
        ),
    ),
    {
        "m": (("m", 85), ("n", 5), ("num_examples", 5), ("m_test", 5)),
        "A": (("A", 60), ("a", 8), ("y_hat", 6), ("probs", 6), ("activation", 5), ("h", 4)),
        "Z": (("Z", 60), ("z", 20), ("linear", 5), ("logits", 5), ("z_val", 5)),
        "Yp": (("Y_prediction", 60), ("Y_pred", 12), ("predictions", 8), ("preds", 6)),
        "i": (("i", 85), ("j", 8), ("col", 7)),
    },
)

SPECS = {spec.name: spec for spec in (SIGMOID, PROPAGATE, OPTIMIZE, PREDICT)}


def derived_names(function: str, picks: dict[str, int], names: dict[str, str]) -> dict[str, str]:
    """The placeholder values of a solution: its names plus expressions that depend on picks."""
    values = dict(names)
    if function == "propagate":
        helper = picks["err"] == 0
        values["err"] = names["dZ"] if helper else f"{names['A']} - Y"
        values["errp"] = names["dZ"] if helper else f"({names['A']} - Y)"
    if function == "optimize":
        unpacked = picks["unpack"] == 0
        values["DW"] = names["dw"] if unpacked else f"{names['grads']}['dw']"
        values["DB"] = names["db"] if unpacked else f"{names['grads']}['db']"
    return values
