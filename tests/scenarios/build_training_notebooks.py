"""Write completed course notebooks as students hand them in: the graded definitions, then training.

    .venv/bin/python tests/scenarios/build_training_notebooks.py

Each is a correct course-style scenario of its assignment with the course's own imports and,
after the graded definitions, what a completed course notebook holds: training runs of
thousands of iterations, learning curves and decision boundaries, hyper-parameter sweeps in a
loop, data loaded from course files that are not there (`datasets/train_catvnoncat.h5`),
predictions on the student's own picture (`images/my_image.jpg`) and `!pip install` cells.
None of that is graded, so the cell plan skips it and such a notebook grades as fast as its
definitions; `tests/test_training_notebooks.py` checks which cells ran. The param_counts one
computes its graded answers in a late "results" cell, which the plan must keep. The expected
grading is in each folder's `expected.toml` (kept by hand). The output is deterministic, so
rerunning the script leaves git clean.
"""

# The notebooks hold the course's code as students write it, long lines included.
# ruff: noqa: E501

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from scenario_kit import SCENARIO_ROOT, Cell, main


@dataclass(frozen=True)
class Completed:
    """A completed notebook: a scenario's cells edited, then cells appended at its end."""

    assignment: str
    name: str
    source: str
    edits: list[tuple[str, str]] = field(default_factory=list)  # each applies at least once
    appended: list[Cell] = field(default_factory=list)


# --- logistic_regression ----------------------------------------------------------------------

LR_COURSE_IMPORTS = (
    "import matplotlib.pyplot as plt\nfrom lr_utils import load_dataset",
    "import matplotlib.pyplot as plt\nimport h5py\nimport scipy\nfrom PIL import Image\n"
    "from scipy import ndimage\nfrom lr_utils import load_dataset",
)
LR_AUTORELOAD = ("%matplotlib inline", "%matplotlib inline\n%load_ext autoreload\n%autoreload 2")

LR_SWEEP = """\
learning_rates = [0.01, 0.001, 0.0001]
models = {}

for lr in learning_rates:
    print ("Training a model with learning rate: " + str(lr))
    models[str(lr)] = model(train_set_x, train_set_y, test_set_x, test_set_y, num_iterations=1500, learning_rate=lr, print_cost=False)
    print ('\\n' + "-------------------------------------------------------" + '\\n')

for lr in learning_rates:
    plt.plot(np.squeeze(models[str(lr)]["costs"]), label=str(models[str(lr)]["learning_rate"]))

plt.ylabel('cost')
plt.xlabel('iterations (hundreds)')

legend = plt.legend(loc='upper center', shadow=True)
frame = legend.get_frame()
frame.set_facecolor('0.90')
plt.show()"""

LR_OWN_IMAGE = """\
# change this to the name of your image file
my_image = "my_image.jpg"

# We preprocess the image to fit your algorithm.
fname = "images/" + my_image
image = np.array(Image.open(fname).resize((num_px, num_px)))
plt.imshow(image)
image = image / 255.
image = image.reshape((1, num_px * num_px * 3)).T
my_predicted_image = predict(logistic_regression_model["w"], logistic_regression_model["b"], image)

print("y = " + str(np.squeeze(my_predicted_image)) + ", your algorithm predicts a \\"" + classes[int(np.squeeze(my_predicted_image)),].decode("utf-8") +  "\\" picture.")"""

LR_H5_PEEK = """\
# What is inside the data file?
with h5py.File('datasets/train_catvnoncat.h5', 'r') as f:
    print(list(f.keys()))
    print(f["train_set_x"].shape, f["list_classes"][:])"""

LR_2018_LOAD = """\
def load_dataset():
    train_dataset = h5py.File('datasets/train_catvnoncat.h5', "r")
    train_set_x_orig = np.array(train_dataset["train_set_x"][:]) # your train set features
    train_set_y_orig = np.array(train_dataset["train_set_y"][:]) # your train set labels

    test_dataset = h5py.File('datasets/test_catvnoncat.h5', "r")
    test_set_x_orig = np.array(test_dataset["test_set_x"][:]) # your test set features
    test_set_y_orig = np.array(test_dataset["test_set_y"][:]) # your test set labels

    classes = np.array(test_dataset["list_classes"][:]) # the list of classes

    train_set_y_orig = train_set_y_orig.reshape((1, train_set_y_orig.shape[0]))
    test_set_y_orig = test_set_y_orig.reshape((1, test_set_y_orig.shape[0]))

    return train_set_x_orig, train_set_y_orig, test_set_x_orig, test_set_y_orig, classes

# Loading the data (cat/non-cat)
train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes = load_dataset()"""

LR_2018_OWN_IMAGE = """\
## START CODE HERE ## (PUT YOUR IMAGE NAME)
my_image = "my_image.jpg"   # change this to the name of your image file
## END CODE HERE ##

# We preprocess the image to fit your algorithm.
fname = "images/" + my_image
image = np.array(ndimage.imread(fname, flatten=False))
my_image = scipy.misc.imresize(image, size=(num_px,num_px)).reshape((1, num_px*num_px*3)).T
my_predicted_image = predict(d["w"], d["b"], my_image)

plt.imshow(image)
print("y = " + str(np.squeeze(my_predicted_image)) + ", your algorithm predicts a \\"" + classes[int(np.squeeze(my_predicted_image)),].decode("utf-8") +  "\\" picture.")"""

LOGISTIC_REGRESSION = [
    Completed(
        "logistic_regression",
        "completed-with-training-runs.ipynb",
        "correct-vectorized.ipynb",
        [LR_COURSE_IMPORTS, LR_AUTORELOAD],
        [
            ("markdown", "## 6 - Further analysis (optional/ungraded exercise)"),
            ("code", LR_SWEEP),
            ("markdown", "## 7 - Test with your own image (optional/ungraded exercise)"),
            ("code", "!pip install pillow"),
            ("code", LR_OWN_IMAGE),
            ("code", LR_H5_PEEK),
        ],
    ),
    Completed(
        "logistic_regression",
        "release-2018-completed-reads-h5.ipynb",
        "correct-matmul-operator.ipynb",
        [
            ("from lr_utils import load_dataset\nfrom public_tests import *\n", ""),
            (
                "import matplotlib.pyplot as plt\n",
                "import matplotlib.pyplot as plt\nimport h5py\nimport scipy\nfrom PIL import Image\n"
                "from scipy import ndimage\n",
            ),
            (
                "# Loading the data (cat/non-cat)\ntrain_set_x_orig, train_set_y, test_set_x_orig, "
                "test_set_y, classes = load_dataset()",
                LR_2018_LOAD,
            ),
            (
                "logistic_regression_model = model(train_set_x, train_set_y, test_set_x, "
                "test_set_y, num_iterations=2000, learning_rate=0.005, print_cost=True)",
                "d = model(train_set_x, train_set_y, test_set_x, test_set_y, "
                "num_iterations = 2000, learning_rate = 0.005, print_cost = True)",
            ),
            (
                "costs = np.squeeze(logistic_regression_model['costs'])",
                "costs = np.squeeze(d['costs'])",
            ),
            ('str(logistic_regression_model["learning_rate"])', 'str(d["learning_rate"])'),
        ],
        [
            ("code", LR_SWEEP),
            ("code", "!pip install scipy==1.1.0"),
            ("code", LR_2018_OWN_IMAGE),
        ],
    ),
]

# --- two_layer_net ----------------------------------------------------------------------------

PLANAR_COURSE_IMPORTS = (
    "from public_tests import *\n",
    "from public_tests import *\nimport sklearn\nimport sklearn.datasets\nimport sklearn.linear_model\n",
)

PLANAR_LOGISTIC_BASELINE = """\
# Train the logistic regression classifier
clf = sklearn.linear_model.LogisticRegressionCV();
clf.fit(X.T, Y.T);

# Plot the decision boundary for logistic regression
plot_decision_boundary(lambda x: clf.predict(x), X, Y)
plt.title("Logistic Regression")

# Print accuracy
LR_predictions = clf.predict(X.T)
print ('Accuracy of logistic regression: %d ' % float((np.dot(Y,LR_predictions) + np.dot(1-Y,1-LR_predictions))/float(Y.size)*100) +
       '% ' + "(percentage of correctly labelled datapoints)")"""

PLANAR_HIDDEN_SWEEP = """\
# This may take about 2 minutes to run

plt.figure(figsize=(16, 32))
hidden_layer_sizes = [1, 2, 3, 4, 5, 20, 50]

for i, n_h in enumerate(hidden_layer_sizes):
    plt.subplot(5, 2, i+1)
    plt.title('Hidden Layer of size %d' % n_h)
    parameters = nn_model(X, Y, n_h, num_iterations = 5000)
    plot_decision_boundary(lambda x: predict(parameters, x.T), X, Y)
    predictions = predict(parameters, X)
    accuracy = float((np.dot(Y,predictions.T) + np.dot(1 - Y, 1 - predictions.T)) / float(Y.size)*100)
    print ("Accuracy for {} hidden units: {} %".format(n_h, accuracy))"""

PLANAR_OTHER_DATASETS = """\
# Datasets
noisy_circles, noisy_moons, blobs, gaussian_quantiles, no_structure = load_extra_datasets()

datasets = {"noisy_circles": noisy_circles,
            "noisy_moons": noisy_moons,
            "blobs": blobs,
            "gaussian_quantiles": gaussian_quantiles}

### START CODE HERE ### (choose your dataset)
dataset = "noisy_moons"
### END CODE HERE ###

X, Y = datasets[dataset]
X, Y = X.T, Y.reshape(1, Y.shape[0])

# make blobs binary
if dataset == "blobs":
    Y = Y%2

# Visualize the data
plt.scatter(X[0, :], X[1, :], c=Y, s=40, cmap=plt.cm.Spectral);"""

PLANAR_MOONS_TRAINING = """\
parameters = nn_model(X, Y, n_h = 5, num_iterations = 10000, print_cost=True)
plot_decision_boundary(lambda x: predict(parameters, x.T), X, Y)
plt.title("Decision Boundary for hidden layer size " + str(5))
plt.show()"""

TWO_LAYER_NET = [
    Completed(
        "two_layer_net",
        "completed-with-training-runs.ipynb",
        "correct-course-style.ipynb",
        [PLANAR_COURSE_IMPORTS],
        [
            ("markdown", "## 3 - Simple Logistic Regression"),
            ("code", PLANAR_LOGISTIC_BASELINE),
            ("markdown", "### 6 - Tuning hidden layer size (optional/ungraded exercise)"),
            ("code", PLANAR_HIDDEN_SWEEP),
            ("markdown", "## 7 - Performance on other datasets"),
            ("code", PLANAR_OTHER_DATASETS),
            ("code", PLANAR_MOONS_TRAINING),
        ],
    ),
]

# --- deep_net ---------------------------------------------------------------------------------

DNN_APP_IMPORTS = """\
import time
import numpy as np
import h5py
import matplotlib.pyplot as plt
import scipy
from PIL import Image
from scipy import ndimage

%matplotlib inline
plt.rcParams['figure.figsize'] = (5.0, 4.0) # set default size of plots"""

DNN_PICTURE = """\
# Example of a picture
index = 10
plt.imshow(train_x_orig[index])
print ("y = " + str(train_y[0,index]) + ". It's a " + classes[train_y[0,index]].decode("utf-8") +  " picture.")"""

DNN_LAYERS = """\
### CONSTANTS ###
layers_dims = [12288, 20, 7, 5, 1] #  4-layer model"""

DNN_TRAINING = (
    "parameters, costs = L_layer_model(train_x, train_y, layers_dims, "
    "num_iterations = 2500, print_cost = True)"
)

DNN_LEARNING_CURVE = """\
plt.plot(np.squeeze(costs))
plt.ylabel('cost')
plt.xlabel('iterations (per hundreds)')
plt.title("Learning rate =" + str(0.0075))
plt.show()"""

DNN_ACCURACY = """\
AL, _ = L_model_forward(test_x, parameters)
pred_test = (AL > 0.5).astype(int)
print("Test accuracy: " + str(np.mean(pred_test == test_y)))"""

DNN_OWN_IMAGE = """\
## START CODE HERE ##
my_image = "my_image.jpg" # change this to the name of your image file
my_label_y = [1] # the true class of your image (1 -> cat, 0 -> non-cat)
## END CODE HERE ##

num_px = 64
fname = "images/" + my_image
image = np.array(Image.open(fname).resize((num_px, num_px)))
plt.imshow(image)
image = image / 255.
image = image.reshape((1, num_px * num_px * 3)).T

my_predicted_image, _ = L_model_forward(image, parameters)
print ("y = " + str(np.squeeze(my_predicted_image > 0.5)) + ", your L-layer model predicts a \\"" + classes[int(np.squeeze(my_predicted_image > 0.5)),].decode("utf-8") +  "\\" picture.")"""

DEEP_NET = [
    Completed(
        "deep_net",
        "completed-with-training-runs.ipynb",
        "correct-course-style.ipynb",
        [],
        [
            ("markdown", "# Deep Neural Network for Image Classification: Application"),
            ("code", "!pip install h5py pillow"),
            ("code", DNN_APP_IMPORTS),
            ("code", DNN_PICTURE),
            ("code", DNN_LAYERS),
            ("code", DNN_TRAINING),
            ("code", DNN_LEARNING_CURVE),
            ("code", DNN_ACCURACY),
            ("markdown", "## 7 - Test with your own image (optional/ungraded exercise)"),
            ("code", DNN_OWN_IMAGE),
        ],
    ),
]

# --- initialization ---------------------------------------------------------------------------

INIT_COURSE_IMPORTS = (
    "import matplotlib.pyplot as plt\n",
    "import matplotlib.pyplot as plt\nimport sklearn\nimport sklearn.datasets\n"
    "from init_utils import sigmoid, relu, compute_loss, forward_propagation, backward_propagation\n"
    "from init_utils import update_parameters, predict, load_dataset, plot_decision_boundary, "
    "predict_dec\n",
)

INIT_LOAD = """\
# load image dataset: blue/red dots in circles
train_X, train_Y, test_X, test_Y = load_dataset()"""

INIT_MODEL = """\
def model(X, Y, learning_rate = 0.01, num_iterations = 15000, print_cost = True, initialization = "he"):
    grads = {}
    costs = [] # to keep track of the loss
    m = X.shape[1] # number of examples
    layers_dims = [X.shape[0], 10, 5, 1]

    # Initialize parameters dictionary.
    if initialization == "zeros":
        parameters = initialize_parameters_zeros(layers_dims)
    elif initialization == "random":
        parameters = initialize_parameters_random(layers_dims)
    elif initialization == "he":
        parameters = initialize_parameters_he(layers_dims)

    # Loop (gradient descent)
    for i in range(num_iterations):
        a3, cache = forward_propagation(X, parameters)
        cost = compute_loss(a3, Y)
        grads = backward_propagation(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)

        # Print the loss every 1000 iterations
        if print_cost and i % 1000 == 0:
            print("Cost after iteration {}: {}".format(i, cost))
            costs.append(cost)

    # plot the loss
    plt.plot(costs)
    plt.ylabel('cost')
    plt.xlabel('iterations (per hundreds)')
    plt.title("Learning rate =" + str(learning_rate))
    plt.show()

    return parameters"""


def _init_run(initialization: str, title: str) -> list[Cell]:
    """The course's three cells for one initialization: train, predict, plot."""
    train = (
        f'parameters = model(train_X, train_Y, initialization = "{initialization}")\n'
        'print ("On the train set:")\npredictions_train = predict(train_X, train_Y, parameters)\n'
        'print ("On the test set:")\npredictions_test = predict(test_X, test_Y, parameters)'
    )
    plot = (
        f'plt.title("Model with {title} initialization")\naxes = plt.gca()\n'
        "axes.set_xlim([-1.5,1.5])\naxes.set_ylim([-1.5,1.5])\n"
        "plot_decision_boundary(lambda x: predict_dec(parameters, x.T), train_X, train_Y)"
    )
    return [("code", train), ("code", plot)]


INITIALIZATION = [
    Completed(
        "initialization",
        "completed-with-training-runs.ipynb",
        "correct-seeded.ipynb",
        [INIT_COURSE_IMPORTS],
        [
            ("markdown", "## Training the network with each initialization"),
            ("code", INIT_LOAD),
            ("code", INIT_MODEL),
            *_init_run("zeros", "Zeros"),
            ("code", 'print ("predictions_train = " + str(predictions_train))'),
            *_init_run("random", "large random"),
            *_init_run("he", "He"),
        ],
    ),
]

# --- optimization -----------------------------------------------------------------------------


def _optimizer_run(optimizer: str, title: str, extra: str = "") -> Cell:
    """The course's cell training the 3-layer model with one optimizer, then plotting it."""
    return (
        "code",
        "# train 3-layer model\nlayers_dims = [train_X.shape[0], 5, 2, 1]\n"
        f'parameters = model(train_X, train_Y, layers_dims, optimizer = "{optimizer}"{extra})\n\n'
        "# Predict\npredictions = predict(train_X, train_Y, parameters)\n\n"
        f'# Plot decision boundary\nplt.title("Model with {title} optimization")\n'
        "axes = plt.gca()\naxes.set_xlim([-1.5,2.5])\naxes.set_ylim([-1,1.5])\n"
        "plot_decision_boundary(lambda x: predict_dec(parameters, x.T), train_X, train_Y)",
    )


OPT_BATCH_SWEEP = """\
# Which mini-batch size trains fastest?
import time
for mini_batch_size in [16, 32, 64, 128]:
    tic = time.time()
    parameters = model(train_X, train_Y, layers_dims, optimizer = "adam", mini_batch_size = mini_batch_size, num_epochs = 3000, print_cost = False)
    print(mini_batch_size, "took", time.time() - tic, "s")"""

OPTIMIZATION = [
    Completed(
        "optimization",
        "completed-with-training-runs.ipynb",
        "correct-course-style.ipynb",
        [],
        [
            ("markdown", "### 6.1 - Mini-Batch Gradient Descent"),
            _optimizer_run("gd", "Gradient Descent"),
            ("markdown", "### 6.2 - Mini-Batch Gradient Descent with Momentum"),
            _optimizer_run("momentum", "Momentum", ", beta = 0.9"),
            ("markdown", "### 6.3 - Mini-Batch with Adam"),
            _optimizer_run("adam", "Adam"),
            ("code", OPT_BATCH_SWEEP),
        ],
    ),
]

# --- param_counts: graded answers computed in a late "results" cell ------------------------

COUNTS_PLOT_IMPORT = (
    "import numpy as np\nimport math",
    "import numpy as np\nimport math\nimport matplotlib.pyplot as plt",
)

COUNTS_PLACEHOLDERS = (
    "lecture_conv_params = conv_layer_params(5, 3, 6)\n"
    "lecture_output_shape = conv_output_shape((32, 32, 3), 5, 6)\n"
    "print(lecture_conv_params, lecture_output_shape)",
    "# answered below, from the results table\nlecture_conv_params = None\n"
    "lecture_output_shape = None",
)

COUNTS_NETWORK_PLOT = """\
# How the parameters grow with the width of the hidden layer
widths = list(range(1, 257))
totals = [sum(network_params([784, n, 10])) for n in widths]
plt.plot(widths, totals)
plt.xlabel("hidden units")
plt.ylabel("parameters")
plt.show()"""

COUNTS_RESULTS = """\
# Results: the lecture's network, layer by layer
lecture_layers = [("conv1", (32, 32, 3), 5, 6), ("conv2", (28, 28, 6), 5, 16)]
results = {}
for name, shape, f, n_filters in lecture_layers:
    results[name] = {"params": conv_layer_params(f, shape[2], n_filters),
                     "shape": conv_output_shape(shape, f, n_filters)}
    print(name, results[name])"""

COUNTS_ANSWERS = """\
lecture_conv_params = results["conv1"]["params"]
lecture_output_shape = results["conv1"]["shape"]"""

COUNTS_RESULTS_PLOT = """\
plt.bar(list(results), [r["params"] for r in results.values()])
plt.title("Parameters per layer")
plt.show()"""

PARAM_COUNTS = [
    Completed(
        "param_counts",
        "answers-from-results-cell.ipynb",
        "correct-formulas.ipynb",
        [COUNTS_PLOT_IMPORT, COUNTS_PLACEHOLDERS],
        [
            ("code", COUNTS_NETWORK_PLOT),
            ("markdown", "### Results"),
            ("code", COUNTS_RESULTS),
            ("code", COUNTS_ANSWERS),
            ("code", COUNTS_RESULTS_PLOT),
        ],
    ),
]

NOTEBOOKS = [
    *LOGISTIC_REGRESSION,
    *TWO_LAYER_NET,
    *DEEP_NET,
    *INITIALIZATION,
    *OPTIMIZATION,
    *PARAM_COUNTS,
]


def _source(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _completed(notebook: dict, completed: Completed) -> dict:
    """`notebook` (a copy) with the edits applied and the cells appended."""
    notebook = json.loads(json.dumps(notebook))
    for old, new in completed.edits:
        applied = 0
        for cell in notebook["cells"]:
            if old in _source(cell):
                cell["source"] = _source(cell).replace(old, new)
                applied += 1
        if not applied:
            raise ValueError(f"{completed.name}: edit not applied: {old!r}")
    for index, (kind, source) in enumerate(completed.appended):
        cell: dict = {"cell_type": kind, "id": f"completed-{index:02d}", "metadata": {}}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cell["source"] = source
        notebook["cells"].append(cell)
    return notebook


def write_all() -> list[Path]:
    """Write every completed notebook; return the paths written."""
    written = []
    for completed in NOTEBOOKS:
        folder = SCENARIO_ROOT / completed.assignment
        notebook = json.loads((folder / completed.source).read_text(encoding="utf-8"))
        path = folder / completed.name
        text = json.dumps(_completed(notebook, completed), indent=1, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    main(write_all)
