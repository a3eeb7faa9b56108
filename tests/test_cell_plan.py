"""Which cells does grading run? The static cell planner on course-like notebooks.

Each notebook below is a list of code cells, as a course notebook holds them: imports, data
loading, exploration, graded definitions with their test calls, then training, plots and
experiments. The tests assert exactly which cells run and the key words of the reasons.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.notebook.cell_plan import CellPlan, Decision, cells_to_add, plan_cells


def ran(plan: tuple[CellPlan, ...]) -> list[int]:
    """Indices of the cells that run."""
    return [cell.index for cell in plan if cell.run]


LOGISTIC_REGRESSION = [
    # 0
    "import numpy as np\nimport copy\nimport matplotlib.pyplot as plt\nimport h5py\n"
    "import scipy\nfrom PIL import Image\nfrom lr_utils import load_dataset\n\n%matplotlib inline",
    # 1
    "train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes = load_dataset()",
    # 2
    "index = 25\nplt.imshow(train_set_x_orig[index])\n"
    'print ("y = " + str(train_set_y[:, index]) + ", it\'s a \'" + '
    'classes[np.squeeze(train_set_y[:, index])].decode("utf-8") +  "\' picture.")',
    # 3
    "m_train = train_set_x_orig.shape[0]\nm_test = test_set_x_orig.shape[0]\n"
    "num_px = train_set_x_orig.shape[1]\n"
    'print ("Number of training examples: m_train = " + str(m_train))',
    # 4
    "train_set_x_flatten = train_set_x_orig.reshape(train_set_x_orig.shape[0], -1).T\n"
    "test_set_x_flatten = test_set_x_orig.reshape(test_set_x_orig.shape[0], -1).T",
    # 5
    "train_set_x = train_set_x_flatten / 255.\ntest_set_x = test_set_x_flatten / 255.",
    # 6
    'def sigmoid(z):\n    """Compute the sigmoid of z."""\n'
    "    s = 1 / (1 + np.exp(-z))\n    return s",
    # 7
    'print ("sigmoid([0, 2]) = " + str(sigmoid(np.array([0,2]))))',
    # 8
    "def initialize_with_zeros(dim):\n    w = np.zeros((dim, 1))\n    b = 0.0\n    return w, b",
    # 9
    'dim = 2\nw, b = initialize_with_zeros(dim)\nassert type(b) == float\nprint ("w = " + str(w))',
    # 10
    "def propagate(w, b, X, Y):\n    m = X.shape[1]\n    A = sigmoid(np.dot(w.T, X) + b)\n"
    "    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m\n"
    "    dw = np.dot(X, (A - Y).T) / m\n    db = np.sum(A - Y) / m\n"
    '    grads = {"dw": dw, "db": db}\n    return grads, np.squeeze(np.array(cost))',
    # 11
    "w =  np.array([[1.], [2.]])\nb = 2.\nX =np.array([[1., 2., -1.], [3., 4., -3.2]])\n"
    "Y = np.array([[1, 0, 1]])\ngrads, cost = propagate(w, b, X, Y)\n"
    'print ("dw = " + str(grads["dw"]))',
    # 12
    "def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):\n"
    "    w = copy.deepcopy(w)\n    b = copy.deepcopy(b)\n    costs = []\n"
    "    for i in range(num_iterations):\n        grads, cost = propagate(w, b, X, Y)\n"
    '        w = w - learning_rate * grads["dw"]\n        b = b - learning_rate * grads["db"]\n'
    "        if i % 100 == 0:\n            costs.append(cost)\n"
    '    return {"w": w, "b": b}, grads, costs',
    # 13
    "params, grads, costs = optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009)",
    # 14
    "def predict(w, b, X):\n    A = sigmoid(np.dot(w.T, X) + b)\n"
    "    return (A > 0.5).astype(float)",
    # 15
    'print ("predictions = " + str(predict(w, b, X)))',
    # 16
    "def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,\n"
    "          print_cost=False):\n    w, b = initialize_with_zeros(X_train.shape[0])\n"
    "    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations,\n"
    "                                    learning_rate, print_cost)\n"
    '    w, b = params["w"], params["b"]\n'
    '    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test), "w": w, "b": b,\n'
    '            "learning_rate": learning_rate, "num_iterations": num_iterations}',
    # 17
    "logistic_regression_model = model(train_set_x, train_set_y, test_set_x, test_set_y,\n"
    "    num_iterations=2000, learning_rate=0.005, print_cost=True)",
    # 18
    "costs = np.squeeze(logistic_regression_model['costs'])\nplt.plot(costs)\n"
    "plt.ylabel('cost')\nplt.show()",
    # 19
    "learning_rates = [0.01, 0.001, 0.0001]\nmodels = {}\n\nfor lr in learning_rates:\n"
    '    print ("Training a model with learning rate: " + str(lr))\n'
    "    models[str(lr)] = model(train_set_x, train_set_y, test_set_x, test_set_y,\n"
    "        num_iterations=1500, learning_rate=lr, print_cost=False)\n\n"
    "for lr in learning_rates:\n"
    '    plt.plot(np.squeeze(models[str(lr)]["costs"]), label=str(lr))\nplt.show()',
    # 20
    'my_image = "my_image.jpg"\nfname = "images/" + my_image\n'
    "image = np.array(Image.open(fname).resize((num_px, num_px)))\nplt.imshow(image)\n"
    "my_predicted_image = predict(logistic_regression_model['w'],\n"
    "    logistic_regression_model['b'], image.reshape((1, num_px * num_px * 3)).T)",
]
LR_GRADED = ["sigmoid", "initialize_with_zeros", "propagate", "optimize", "predict", "model"]


def test_logistic_regression_runs_the_imports_and_the_graded_definitions_only() -> None:
    """Are loading, exploring, test calls, training, plots and the learning-rate loop
    skipped, while the imports and every graded definition run?"""
    plan = plan_cells(LOGISTIC_REGRESSION, LR_GRADED)
    assert ran(plan) == [0, 6, 8, 10, 12, 14, 16]
    assert "numpy as np" in plan[0].reason and "copy" in plan[0].reason
    assert "h5py" not in plan[0].reason  # only the imports grading needs are named
    assert plan[6].reason == "defines sigmoid"
    assert plan[17].reason == "not needed: defines logistic_regression_model; calls model"
    assert "plots" in plan[18].reason
    assert {"calls model", "plots", "prints"} <= set(plan[19].reason[12:].split("; "))
    assert plan[1].reason == (
        "not needed: defines classes, test_set_x_orig, test_set_y, train_set_x_orig and 1 more;"
        " calls load_dataset"
    )
    assert plan[16].needs == {"initialize_with_zeros", "optimize", "predict"}


def test_a_graded_variable_pulls_in_the_data_it_is_computed_from() -> None:
    """Do variable answers (`m_train`, `num_px`) run their cell and the data loading it reads,
    but not the exploration cell between them?"""
    plan = plan_cells(LOGISTIC_REGRESSION, LR_GRADED, variables=["m_train", "num_px"])
    assert ran(plan) == [0, 1, 3, 6, 8, 10, 12, 14, 16]
    assert plan[1].reason.startswith("defines ") and "train_set_x_orig" in plan[1].reason
    assert "m_train" in plan[3].reason and "num_px" in plan[3].reason
    assert not plan[2].run


def test_a_missing_name_brings_its_skipped_cells_and_their_inputs() -> None:
    """When a graded call still finds `train_set_x` missing, does the fallback name the cell
    that binds it and the skipped cells it needs, in order?"""
    plan = plan_cells(LOGISTIC_REGRESSION, LR_GRADED)
    assert cells_to_add(plan, "train_set_x") == (1, 4, 5)
    assert cells_to_add(plan, "sigmoid") == ()  # bound by a cell that already runs
    assert cells_to_add(plan, "undefined_anywhere") == ()


PLANAR = [
    # 0
    "import numpy as np\nimport copy\nimport matplotlib.pyplot as plt\n"
    "from planar_utils import *\n%matplotlib inline\n\n%load_ext autoreload\n%autoreload 2",
    # 1
    "X, Y = load_planar_dataset()",
    # 2
    "plt.scatter(X[0, :], X[1, :], c=Y, s=40, cmap=plt.cm.Spectral);",
    # 3
    "shape_X = X.shape\nshape_Y = Y.shape\nm = X.shape[1]\n"
    "print ('The shape of X is: ' + str(shape_X))",
    # 4
    "clf = sklearn.linear_model.LogisticRegressionCV();\nclf.fit(X.T, Y.T);",
    # 5
    "plot_decision_boundary(lambda x: clf.predict(x), X, Y)\n"
    'plt.title("Logistic Regression")\nLR_predictions = clf.predict(X.T)\n'
    "print ('Accuracy of logistic regression: %d ' % float((np.dot(Y, LR_predictions) + "
    "np.dot(1 - Y, 1 - LR_predictions)) / float(Y.size) * 100) + '%')",
    # 6
    "def layer_sizes(X, Y):\n    return (X.shape[0], 4, Y.shape[0])",
    # 7
    "t_X, t_Y = layer_sizes_test_case()\n(n_x, n_h, n_y) = layer_sizes(t_X, t_Y)\n"
    'print("The size of the input layer is: n_x = " + str(n_x))',
    # 8
    "def initialize_parameters(n_x, n_h, n_y):\n    W1 = np.random.randn(n_h, n_x) * 0.01\n"
    "    b1 = np.zeros((n_h, 1))\n    W2 = np.random.randn(n_y, n_h) * 0.01\n"
    '    b2 = np.zeros((n_y, 1))\n    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}',
    # 9
    "def forward_propagation(X, parameters):\n"
    '    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]\n    A1 = np.tanh(Z1)\n'
    '    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]\n    A2 = sigmoid(Z2)\n'
    '    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}',
    # 10
    "def compute_cost(A2, Y):\n    m = Y.shape[1]\n"
    "    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)\n"
    "    return float(np.squeeze(-np.sum(logprobs) / m))",
    # 11
    "def backward_propagation(parameters, cache, X, Y):\n    m = X.shape[1]\n"
    '    dZ2 = cache["A2"] - Y\n    dW2 = np.dot(dZ2, cache["A1"].T) / m\n'
    "    db2 = np.sum(dZ2, axis=1, keepdims=True) / m\n"
    '    dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - np.power(cache["A1"], 2))\n'
    '    return {"dW1": np.dot(dZ1, X.T) / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,\n'
    '            "dW2": dW2, "db2": db2}',
    # 12
    "def update_parameters(parameters, grads, learning_rate=1.2):\n"
    "    parameters = copy.deepcopy(parameters)\n    for key in ('W1', 'b1', 'W2', 'b2'):\n"
    "        parameters[key] = parameters[key] - learning_rate * grads['d' + key]\n"
    "    return parameters",
    # 13
    "def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):\n"
    "    np.random.seed(3)\n    n_x, _, n_y = layer_sizes(X, Y)\n"
    "    parameters = initialize_parameters(n_x, n_h, n_y)\n"
    "    for i in range(num_iterations):\n        A2, cache = forward_propagation(X, parameters)\n"
    "        cost = compute_cost(A2, Y)\n"
    "        grads = backward_propagation(parameters, cache, X, Y)\n"
    "        parameters = update_parameters(parameters, grads)\n    return parameters",
    # 14
    "def predict(parameters, X):\n    A2, cache = forward_propagation(X, parameters)\n"
    "    return A2 > 0.5",
    # 15
    "parameters = nn_model(X, Y, n_h = 4, num_iterations = 10000, print_cost=True)\n"
    "plot_decision_boundary(lambda x: predict(parameters, x.T), X, Y)\n"
    'plt.title("Decision Boundary for hidden layer size " + str(4))',
    # 16
    "predictions = predict(parameters, X)\n"
    "print ('Accuracy: %d' % float((np.dot(Y, predictions.T) + "
    "np.dot(1 - Y, 1 - predictions.T)) / float(Y.size) * 100) + '%')",
    # 17
    "plt.figure(figsize=(16, 32))\nhidden_layer_sizes = [1, 2, 3, 4, 5, 20, 50]\n"
    "for i, n_h in enumerate(hidden_layer_sizes):\n    plt.subplot(5, 2, i+1)\n"
    "    parameters = nn_model(X, Y, n_h, num_iterations = 5000)\n"
    "    plot_decision_boundary(lambda x: predict(parameters, x.T), X, Y)",
    # 18
    "%timeit predict(parameters, X)",
]
PLANAR_GRADED = [
    "layer_sizes",
    "initialize_parameters",
    "forward_propagation",
    "compute_cost",
    "backward_propagation",
    "update_parameters",
    "nn_model",
    "predict",
]


def test_planar_star_import_runs_and_experiments_are_skipped() -> None:
    """Does the star-import cell (which provides `sigmoid` and the test cases) always run,
    and are the scatter plot, the sklearn baseline, the hidden-size loop and `%timeit`
    skipped?"""
    plan = plan_cells(PLANAR, PLANAR_GRADED)
    assert ran(plan) == [0, 6, 8, 9, 10, 11, 12, 13, 14]
    assert plan[0].decision is Decision.STAR_IMPORT
    assert "from planar_utils import *" in plan[0].reason
    assert "numpy as np" in plan[0].reason  # also provides what grading needs
    assert plan[18].reason == "not needed: calls predict"
    assert "plots" in plan[2].reason and "plots" in plan[17].reason
    assert "calls nn_model" in plan[17].reason
    assert "prints" in plan[16].reason


DEEP_NET = [
    # 0
    "import numpy as np\nimport h5py\nimport matplotlib.pyplot as plt\n"
    "from dnn_utils import sigmoid, sigmoid_backward, relu, relu_backward\n"
    "%matplotlib inline\nplt.rcParams['figure.figsize'] = (5.0, 4.0)",
    # 1
    "np.random.seed(1)",
    # 2: helpers the student wrote and uses inside graded functions
    'def _key(kind, l):\n    return kind + str(l)\n\nEPSILON = 1e-8\nACTIVATIONS = {"relu": relu}',
    # 3
    "def initialize_parameters_deep(layer_dims):\n    np.random.seed(3)\n    parameters = {}\n"
    "    for l in range(1, len(layer_dims)):\n"
    "        parameters[_key('W', l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01\n"
    "        parameters[_key('b', l)] = np.zeros((layer_dims[l], 1))\n    return parameters",
    # 4
    "parameters = initialize_parameters_deep([5,4,3])\nprint(parameters['W1'])",
    # 5
    "def linear_forward(A, W, b):\n    return np.dot(W, A) + b, (A, W, b)",
    # 6
    "def linear_activation_forward(A_prev, W, b, activation):\n"
    "    Z, linear_cache = linear_forward(A_prev, W, b)\n"
    "    A, activation_cache = sigmoid(Z) if activation == 'sigmoid' else "
    "ACTIVATIONS[activation](Z)\n    return A, (linear_cache, activation_cache)",
    # 7
    "def L_model_forward(X, parameters):\n    caches = []\n    A = X\n"
    "    L = len(parameters) // 2\n    for l in range(1, L):\n"
    "        A, cache = linear_activation_forward(A, parameters[_key('W', l)],\n"
    "                                             parameters[_key('b', l)], 'relu')\n"
    "        caches.append(cache)\n"
    "    AL, cache = linear_activation_forward(A, parameters[_key('W', L)],\n"
    "                                          parameters[_key('b', L)], 'sigmoid')\n"
    "    caches.append(cache)\n    return AL, caches",
    # 8
    "def compute_cost(AL, Y):\n    m = Y.shape[1]\n"
    "    return float(-np.sum(Y * np.log(AL + EPSILON) + (1 - Y) * np.log(1 - AL + EPSILON)) / m)",
    # 9: a test cell
    "t_X = np.random.randn(5, 4)\nAL, caches = L_model_forward(t_X, parameters)\n"
    'print("AL = " + str(AL))',
    # 10
    "def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000):\n"
    "    parameters = initialize_parameters_deep(layers_dims)\n    costs = []\n"
    "    for i in range(0, num_iterations):\n        AL, caches = L_model_forward(X, parameters)\n"
    "        costs.append(compute_cost(AL, Y))\n    return parameters, costs",
    # 11
    "train_x_orig, train_y, test_x_orig, test_y, classes = load_data()\n"
    "train_x = train_x_orig.reshape(train_x_orig.shape[0], -1).T / 255.",
    # 12
    "layers_dims = [12288, 20, 7, 5, 1]",
    # 13
    "parameters, costs = L_layer_model(train_x, train_y, layers_dims, num_iterations = 2500)",
    # 14
    "plot_costs(costs, learning_rate)",
]
DEEP_GRADED = [
    "initialize_parameters_deep",
    "linear_forward",
    "linear_activation_forward",
    "L_model_forward",
    "compute_cost",
    "L_layer_model",
]


def test_deep_net_helpers_used_inside_graded_functions_run() -> None:
    """Do the student's own helper function, constant and activation table (read inside
    graded functions at call time) run, and the seed, test, data and training cells not?"""
    plan = plan_cells(DEEP_NET, DEEP_GRADED)
    assert ran(plan) == [0, 2, 3, 5, 6, 7, 8, 10]
    assert plan[2].reason == "defines ACTIVATIONS, EPSILON, _key"
    assert "relu from dnn_utils" in plan[0].reason and "sigmoid from dnn_utils" in plan[0].reason
    assert plan[1].reason == "not needed: seeds the random generators"
    assert plan[13].reason == "not needed: defines costs, parameters; calls L_layer_model"


LATER_CONSTANT = [
    "import numpy as np",
    "def leaky_relu(z):\n    return np.maximum(ALPHA * z, z)",
    "print(leaky_relu(np.array([-1.0, 2.0])))",
    "ALPHA = 0.01",
    "ALPHA = 0.2  # tuned after looking at the plot",
]


def test_a_constant_defined_after_the_function_is_taken_from_its_last_cell() -> None:
    """A function reads its globals when called, after every cell ran: does the last cell
    that binds ALPHA run, and the earlier one not?"""
    plan = plan_cells(LATER_CONSTANT, ["leaky_relu"])
    assert ran(plan) == [0, 1, 4]
    assert plan[4].reason == "defines ALPHA"
    assert plan[3].reason == "not needed: defines ALPHA (redefined later)"
    assert plan[1].needs == {"np", "ALPHA"}


REDEFINED = [
    "import numpy as np",
    "def relu(z):\n    return z * (z > 0)",
    "relu_v1 = relu",
    "def relu(z):\n    return np.maximum(0, z)",
    "print(relu(np.array([-1, 1])))",
    "def relu(z):\n    return np.maximum(0.0, z)",
    "def relu_gap(z):\n    return relu(z) - relu_v1(z)",
]


def test_only_the_last_definition_of_a_function_runs() -> None:
    """Are earlier definitions of a redefined graded function skipped as redefined?"""
    plan = plan_cells(REDEFINED, ["relu"])
    assert ran(plan) == [0, 5]
    assert plan[1].reason == "not needed: defines relu (redefined later)"
    assert plan[3].reason == "not needed: defines relu (redefined later)"
    assert cells_to_add(plan, "relu") == (1, 3)


def test_an_earlier_definition_runs_when_something_needs_it() -> None:
    """`relu_v1 = relu` captures the first definition: does grading `relu_gap` run the first
    definition before that cell, as well as the last one?"""
    plan = plan_cells(REDEFINED, ["relu_gap"])
    assert ran(plan) == [0, 1, 2, 5, 6]
    assert plan[3].reason == "not needed: defines relu (redefined later)"


def test_a_graded_function_sharing_a_cell_with_training_runs_the_training_too() -> None:
    """The planner works per cell: a cell that defines `model` and then trains it runs
    whole, with the data its training call reads; the plot after it does not."""
    cells = [
        "import numpy as np\nimport matplotlib.pyplot as plt",
        "def load():\n    return np.zeros((2, 3)), np.zeros((1, 3))",
        "X, Y = load()",
        "def model(X, Y, num_iterations=100):\n    w = np.zeros((X.shape[0], 1))\n"
        "    for i in range(num_iterations):\n        w = w - 0.1 * X @ (w.T @ X - Y).T\n"
        "    return w\n\nw = model(X, Y, num_iterations=10**7)\nprint(w)",
        "plt.plot(w)",
    ]
    plan = plan_cells(cells, ["model"])
    assert ran(plan) == [0, 1, 2, 3]
    assert plan[3].reason == "defines model"
    assert plan[2].reason == "defines X, Y"
    assert plan[4].reason == "not needed: plots"


def test_a_function_called_in_its_own_cell_needs_its_globals_before_that_cell() -> None:
    """`model` is defined and called in the same cell: does the `helper` it calls there (the
    first definition; a later cell redefines it) run before that cell?"""
    cells = [
        "def helper():\n    return 1",
        "def model():\n    return helper()\n\nanswer = model()",
        "def helper():\n    return 2",
    ]
    plan = plan_cells(cells, [], ["answer"])
    assert ran(plan) == [0, 1, 2]
    assert plan[0].reason == "defines helper"


PARAM_COUNTS = [
    "def conv_params(f, c, n):\n    return f * f * c * n + n",
    "lecture_conv_params = conv_params(3, 3, 64)",
    "print(lecture_conv_params)",
    "history = train(big_model, epochs=50)",
    "lecture_output_shape = (None, 14, 14, 64)",
    "final_accuracy = evaluate(train(small_model, epochs=5))",
]


def test_variable_answers_run_their_cells_and_the_functions_they_call() -> None:
    """Do variable answers run the cell of their last binding and the function it calls,
    even when that cell trains, while training cells nothing graded reads are skipped?"""
    plan = plan_cells(PARAM_COUNTS, [], ["lecture_conv_params", "lecture_output_shape"])
    assert ran(plan) == [0, 1, 4]
    assert plan[0].reason == "defines conv_params"
    assert plan[3].reason == "not needed: defines history; calls train"
    plan = plan_cells(PARAM_COUNTS, [], ["final_accuracy"])
    assert ran(plan) == [5]
    assert plan[5].reason == "defines final_accuracy"


MAGICS = [
    "!pip install h5py tensorflow==2.16",
    "%matplotlib inline\n%load_ext autoreload\n%autoreload 2",
    "import numpy as np\n%config InlineBackend.figure_format = 'retina'",
    "%timeit np.exp(np.zeros(1000))",
    "%%time\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\nprint(sigmoid(0))",
    "%%capture out\n!wget https://example.com/train_catvnoncat.h5",
    "sigmoid?",
    "!ls -la",
    "pip install scipy",
    "get_ipython().run_line_magic('matplotlib', 'inline')\n"
    "get_ipython().system('pip install pillow')",
    "%%bash\necho hello > greeting.txt",
]


def test_magics_and_shell_escapes() -> None:
    """Are installs, downloads, inert magics, `%timeit` and help skipped, the `%%time` cell
    with the graded definition run, and shell commands and `%%bash` run as opaque?"""
    plan = plan_cells(MAGICS, ["sigmoid"])
    assert ran(plan) == [2, 4, 7, 10]
    assert plan[2].reason == "imports numpy as np"
    assert plan[4].reason == "defines sigmoid"
    assert plan[7].decision is Decision.CANNOT_ANALYZE
    assert plan[7].reason == "cannot be analyzed (!ls): run"
    assert plan[10].reason == "cannot be analyzed (%%bash): run"
    assert plan[0].reason.startswith("not needed: installs packages or downloads (pip install")
    assert "wget" in plan[5].reason and plan[5].defines == {"out"}
    assert (
        plan[1].reason == "not needed: only IPython commands (%matplotlib, %load_ext, %autoreload)"
    )
    assert plan[6].reason == "not needed: only IPython commands (sigmoid?)"
    assert plan[8].reason.startswith("not needed: installs")  # automagic `pip install`
    assert plan[9].reason.startswith("not needed: installs")  # nbconvert's spelling
    assert plan[3].reason == "not needed: only IPython commands (%timeit)"


def test_cells_that_do_not_parse_run_and_need_nothing() -> None:
    """Does a cell with a syntax error run (so its error is recorded) without pulling in
    the cells its broken code mentions?"""
    cells = [
        "import numpy as np",
        "X = np.zeros((2, 3))",
        "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))",
        "d = model(X, Y\nprint(d)",
        "def relu(z) return z",
    ]
    plan = plan_cells(cells, ["sigmoid"])
    assert ran(plan) == [0, 2, 3, 4]
    assert plan[3].decision is Decision.DOES_NOT_PARSE
    assert plan[3].reason.startswith("does not parse (line 1:")
    assert plan[3].reason.endswith("run, so that its error is recorded")
    assert plan[4].needs == frozenset() and plan[4].defines == frozenset()


def test_a_file_written_by_writefile_is_there_for_the_import() -> None:
    """Does a `%%writefile helpers.py` cell always run, and the import of a helper from it
    run when a graded function uses that helper?"""
    cells = [
        "%%writefile helpers.py\nimport numpy as np\n\ndef sigmoid(z):\n"
        "    return 1 / (1 + np.exp(-z))",
        "from helpers import sigmoid",
        "import numpy as np",
        "def predict(w, X):\n    return sigmoid(w.T @ X) > 0.5",
    ]
    plan = plan_cells(cells, ["predict"])
    assert ran(plan) == [0, 1, 3]
    assert plan[0].decision is Decision.WRITES_FILE
    assert plan[0].reason.startswith("writes a file (%%writefile helpers.py)")
    assert plan[1].reason == "imports sigmoid from helpers"


def test_a_global_set_inside_a_function_comes_from_the_cell_that_calls_it() -> None:
    """`init()` assigns the global W: does grading `predict` (which reads W) run the cell
    calling `init`, the cell defining it, and the import that `init` needs?"""
    cells = [
        "import numpy as np",
        "def init():\n    global W\n    W = np.zeros((3, 1))",
        "init()",
        "def predict(X):\n    return W.T @ X",
        "for i in range(100):\n    train_step()",
    ]
    plan = plan_cells(cells, ["predict"])
    assert ran(plan) == [0, 1, 2, 3]
    assert plan[2].reason == "changes W"
    assert plan[1].reason == "defines init"


RANDOM = [
    "import numpy as np",
    "np.random.seed(1)",
    "noise = np.random.randn(3)",
    "X = np.random.randn(2, 3)",
    "answer = float(X.sum())",
    "np.random.seed(5)\nprint(np.random.rand())",
    "def init(n):\n    return np.random.randn(n, 1)",
    "np.random.seed(3)",
    "w0 = init(4)",
]


def test_the_seed_before_a_needed_random_computation_runs() -> None:
    """Does a variable computed from random numbers run the seed cell before it and every
    cell that draws in between (they advance the generator), but not later seeds?"""
    plan = plan_cells(RANDOM, [], ["answer"])
    assert ran(plan) == [0, 1, 2, 3, 4]
    assert plan[1].reason == "seeds the random generators"
    assert plan[2].reason.startswith("draws random numbers")
    assert plan[5].reason == "not needed: prints; seeds the random generators"


def test_a_function_that_draws_needs_the_seed_before_its_call() -> None:
    """`w0 = init(4)` draws through the function: does the seed cell before it run, and not
    the ones before that seed?"""
    plan = plan_cells(RANDOM, [], ["w0"])
    assert ran(plan) == [0, 6, 7, 8]


def test_graded_functions_that_draw_do_not_need_the_notebooks_seeds() -> None:
    """Grading sets its own seeds: is no seed or drawing cell run for a graded function that
    draws random numbers?"""
    plan = plan_cells(RANDOM, ["init"])
    assert ran(plan) == [0, 6]


def test_objects_changed_in_place_before_the_read_are_needed() -> None:
    """Do cells that set items or append to a needed object before it is read run, and
    those after the read not?"""
    cells = [
        "params = {'W1': 1.0}",
        "params['W1'] = 2.0",
        "costs = []\nfor i in range(3):\n    costs.append(i)",
        "answer = params['W1'] * len(costs)",
        "params['W1'] = 99\ncosts.append(5)",
        "import numpy as np\narr = np.append(np.zeros(2), 1)",
        "def f(x):\n    return np.append(x, 1)",
    ]
    plan = plan_cells(cells, ["f"], ["answer"])
    assert ran(plan) == [0, 1, 2, 3, 5, 6]
    assert plan[1].reason == "changes params"
    assert plan[4].reason.startswith("not needed")
    assert plan[5].reason == "imports numpy as np"  # np.append changes no module


def test_code_the_planner_cannot_follow_runs_with_everything_before_it() -> None:
    """Do exec and globals() make a cell run, together with every cell before it (it may
    read any of them), while the cells after it stay skipped?"""
    cells = [
        "import numpy as np",
        "X = np.ones(3)",
        "exec('Z = X * 2')",
        "plt.plot(Z)",
        "def f():\n    return globals()['Z']",
    ]
    plan = plan_cells(cells, [])
    assert ran(plan) == [0, 1, 2]
    assert plan[2].reason == "cannot be analyzed (uses exec): run"
    assert "may be read by code the planner cannot follow" in plan[0].reason
    assert ran(plan_cells(cells, ["f"])) == [0, 1, 2, 3, 4]


def test_pathological_cells_run_and_the_planner_survives() -> None:
    """Do deeply nested expressions, a huge chain and a null byte come back as cells that
    run, not as an exception?"""
    cells = [
        "x = " + "(" * 300 + "1" + ")" * 300,
        "y = " + "-" * 100_000 + "1",
        "z = " + " + ".join(["x"] * 20_000),
        "w = [" * 2_000 + "]" * 2_000,
        "a = 1\x00",
        "def f():\n    return " + "[" * 150 + "]" * 150,
    ]
    plan = plan_cells(cells, ["f"])
    assert ran(plan) == [0, 1, 2, 3, 4, 5]
    assert plan[0].decision is Decision.DOES_NOT_PARSE
    assert plan[1].decision is Decision.CANNOT_ANALYZE
    assert plan[4].decision is Decision.DOES_NOT_PARSE


def test_an_empty_notebook_and_cells_that_do_little() -> None:
    """Does an empty list give an empty plan, and an empty cell, a display, a bare loop and
    an assert each a reason that says what they are?"""
    assert plan_cells([], ["f"]) == ()
    plan = plan_cells(["", "# just a note\n", "X.shape", "while True:\n    pass", "assert 1"], [])
    assert [cell.reason for cell in plan] == [
        "not needed: no code",
        "not needed: no code",
        "not needed: only shows values",
        "not needed: runs a loop",
        "not needed: nothing grading needs",
    ]


DROPOUT = [
    "import numpy as np",
    "rng = np.random.default_rng(2024)\n\n"
    "def dropout_forward(A, keep_prob):\n    D = rng.random(A.shape) < keep_prob\n"
    "    return np.where(D, A / keep_prob, 0.0), D",
    "def model(X, keep_prob=0.5, num_iterations=30000):\n    A = X\n"
    "    for i in range(num_iterations):\n        A, D = dropout_forward(X, keep_prob)\n"
    "    return A",
    "A = model(np.ones((3, 4)))",
    "sample = rng.normal(size=3)",
]


def test_a_private_generator_used_by_a_graded_function_does_not_pull_in_training() -> None:
    """`dropout_forward` draws from a module-level generator: is the cell creating it run,
    but not the training cell that also draws from it (grading does not depend on how far
    the notebook advanced a generator)?"""
    plan = plan_cells(DROPOUT, ["dropout_forward"])
    assert ran(plan) == [0, 1]
    assert plan[1].reason == "defines dropout_forward, rng"
    assert plan[3].reason == "not needed: defines A; calls model"


def test_a_variable_drawn_from_a_generator_needs_the_draws_before_it() -> None:
    """`sample` depends on how far `rng` has advanced: does the training cell that draws
    from it before run too?"""
    plan = plan_cells(DROPOUT, [], ["sample"])
    assert ran(plan) == [0, 1, 2, 3, 4]
    assert plan[3].reason.startswith("draws random numbers")


def test_definitions_on_some_paths_only_keep_the_earlier_ones() -> None:
    """A definition inside `try` may not happen: does the earlier definition run too?"""
    cells = [
        "def sigmoid(z):\n    return 1 / (1 + math.exp(-z))",
        "import math",
        "try:\n    import numpy as np\n\n    def sigmoid(z):\n"
        "        return 1 / (1 + np.exp(-z))\nexcept ImportError:\n    pass",
    ]
    plan = plan_cells(cells, ["sigmoid"])
    assert ran(plan) == [0, 1, 2]
    assert plan[0].reason == "defines sigmoid"
    assert plan[1].reason == "imports math"


def test_changes_through_methods_and_function_calls() -> None:
    """Are `params["W1"].fill(0)` and a call of a function that appends to a global list
    counted as changes that a graded variable read after them needs?"""
    cells = [
        "import numpy as np\nparams = {'W1': np.ones(3)}\nhistory = []",
        "def log(x):\n    history.append(x)",
        "log(1)\nlog(2)",
        "params['W1'].fill(0)",
        "answer = len(history) + float(params['W1'].sum())",
        "params['W1'] += 5",
    ]
    plan = plan_cells(cells, [], ["answer"])
    assert ran(plan) == [0, 1, 2, 3, 4]
    assert plan[2].reason == "changes history"
    assert plan[3].reason == "changes params"


def test_a_star_import_cell_needs_what_its_other_code_reads() -> None:
    """A star-import cell always runs, so what its own code reads runs before it."""
    cells = [
        "SCALE = 2.0",
        "from planar_utils import *\nX, Y = load_planar_dataset()\nX = X * SCALE",
        "def f(x):\n    return x",
    ]
    plan = plan_cells(cells, ["f"])
    assert ran(plan) == [0, 1, 2]
    assert plan[0].reason == "defines SCALE"


def test_a_class_used_by_a_graded_function_brings_what_its_methods_read() -> None:
    """A graded function builds an object of a class defined elsewhere, whose method reads a
    global constant: do the class's cell and the constant's cell run?"""
    cells = [
        "import numpy as np",
        "class Dense:\n    def __init__(self, units):\n        self.units = units\n"
        "    def __call__(self, x):\n        return np.maximum(x, 0) * GAIN",
        "GAIN = 1.0",
        "def build(units):\n    return Dense(units)",
        "net = build(4)\nprint(net(np.ones(3)))",
    ]
    plan = plan_cells(cells, ["build"])
    assert ran(plan) == [0, 1, 2, 3]
    assert plan[1].reason == "defines Dense"


def test_run_and_run_i_magics() -> None:
    """`%run script.py` runs without the cells before it; `%run -i` (it reads the notebook's
    names) runs with all of them."""
    cells = ["X = 1", "Y = 2", "%run helpers.py", "%run -i uses_x.py"]
    assert ran(plan_cells(cells[:3], [])) == [2]
    plan = plan_cells(cells, [])
    assert ran(plan) == [0, 1, 2, 3]
    assert plan[3].reason == "cannot be analyzed (%run): run"
    assert (
        plan[0].reason == "may be read by code the planner cannot follow (exec, globals(), magics)"
    )


def test_cells_that_change_where_imports_come_from_always_run() -> None:
    """Do `sys.path.append`, `os.environ[...] = ...`, `%cd` and Keras' global settings run
    (later imports and models depend on them), with what they read?"""
    cells = [
        "import sys\nLIB = 'lib'\nsys.path.append(LIB)",
        "import os\nos.environ['KERAS_BACKEND'] = 'tensorflow'",
        "%cd data",
        "import keras\nkeras.backend.set_floatx('float64')",
        "from helper import f",
        "def g(x):\n    return f(x)",
        "import numpy as np\nnp.set_printoptions(precision=3)",
    ]
    plan = plan_cells(cells, ["g"])
    assert ran(plan) == [0, 1, 2, 3, 4, 5]
    assert plan[0].decision is Decision.CHANGES_ENVIRONMENT
    assert plan[0].reason == (
        "changes the environment (sys.path.append): run, later cells may depend on it"
    )
    assert "os.environ" in plan[1].reason and "%cd" in plan[2].reason
    assert "keras.backend.set_floatx" in plan[3].reason
    assert plan[6].reason == "not needed: imports numpy as np"


def test_console_prompts_and_broken_magic_cells() -> None:
    """Is code pasted with `>>>` prompts read without them, and a `%%time` cell whose body
    does not parse treated as a syntax error that needs nothing?"""
    cells = [
        "import numpy as np",
        ">>> def sigmoid(z):\n...     return 1 / (1 + np.exp(-z))",
        "%%time\nd = model(X, Y\nprint(d)",
    ]
    plan = plan_cells(cells, ["sigmoid"])
    assert ran(plan) == [0, 1, 2]
    assert plan[1].reason == "defines sigmoid"
    assert plan[2].decision is Decision.DOES_NOT_PARSE
    assert plan[2].needs == frozenset()


# Pieces of course-notebook code and IPython syntax, put together at random by the fuzz test.
FRAGMENTS = [
    "import numpy as np",
    "from helpers import *",
    "def f(x):\n    return g(x) + K",
    "def g(x):\n    global y\n    y = x\n    return np.random.randn() * x",
    "K = 1",
    "K += 2",
    "x = f(1)",
    "%matplotlib inline",
    "!pip install h5py",
    "%%time",
    "%%bash",
    "for i in range(3):\n    K = K + i",
    "if x:\n    def g(x):\n        return x",
    "exec('y = 1')",
    "np.random.seed(0)",
    "z = np.random.randn(2)",
    "print(x)",
    "d = {}",
    "d['k'] = z",
    "costs.append(K)",
    "try:\n    import tf\nexcept ImportError:\n    tf = None",
    "del x",
    "x = (",
    '"""',
    "files = !ls {K}",
    "y = %timeit -o f(2)",
    "?f",
    "class C:\n    def m(self):\n        return K + f(1)",
    "@decorate\ndef g(x):\n    return [K for K in range(x)]",
    "h = lambda v: v * K",
    "await f(1)",
    "get_ipython().run_line_magic('time', 'x = f(2)')",
]
GRADED = ["f", "g", "h", "x", "y", "z", "K", "C", "d"]


def cell_sources() -> st.SearchStrategy[str]:
    """A cell: a few fragments joined by newlines, or any text at all."""
    joined = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4).map("\n".join)
    return st.one_of(joined, joined, st.text(max_size=60))


@settings(max_examples=200, deadline=None)
@given(
    cells=st.lists(cell_sources(), max_size=12),
    graded=st.lists(st.sampled_from(GRADED), max_size=4),
)
def test_any_notebook_gets_a_plan_that_runs_the_last_binding_of_graded_names(
    cells: list[str], graded: list[str]
) -> None:
    """Whatever the cells hold, is there one plan per cell, with a reason, running the last
    cell that binds each graded name, and does the fallback name only skipped binders?"""
    plan = plan_cells(cells, graded[:2], graded[2:])
    assert [cell.index for cell in plan] == list(range(len(cells)))
    for cell in plan:
        assert cell.reason
        assert cell.run == (cell.decision is not Decision.NOT_NEEDED)
        assert cell.reason.startswith("not needed: ") == (not cell.run)
        assert "the planner failed" not in cell.reason  # no bug hidden by its safety net
    for name in graded:
        binders = [cell for cell in plan if name in cell.defines]
        if binders:
            assert binders[-1].run
        added = cells_to_add(plan, name)
        assert all(not plan[index].run for index in added)
        assert {cell.index for cell in binders if not cell.run} <= set(added)
