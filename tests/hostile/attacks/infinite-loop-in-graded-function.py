# grader: assignment=logistic_regression
# Hostile submission: sigmoid loops forever on scalars
# The correct functions follow; the attack is the last code cell(s).

# %% [markdown]
# # Logistic Regression with a Neural Network mindset
#
# You will build a logistic regression classifier to recognize cats, step by step.

# %% [markdown]
# ## 1 - Packages

# %%
import numpy as np
import copy
import math
import matplotlib.pyplot as plt
from lr_utils import load_dataset
from public_tests import *

# %matplotlib inline

# %% [markdown]
# ## 2 - Overview of the Problem set

# %%
# Loading the data (cat/non-cat)
train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes = load_dataset()

m_train = train_set_x_orig.shape[0]
m_test = test_set_x_orig.shape[0]
num_px = train_set_x_orig.shape[1]
print("Number of training examples: m_train = " + str(m_train))
print("Number of testing examples: m_test = " + str(m_test))
print("Height/Width of each image: num_px = " + str(num_px))

# %%
# Reshape the training and test examples: each image becomes a column
train_set_x_flatten = train_set_x_orig.reshape(train_set_x_orig.shape[0], -1).T
test_set_x_flatten = test_set_x_orig.reshape(test_set_x_orig.shape[0], -1).T

# Standardize the data set
train_set_x = train_set_x_flatten / 255.
test_set_x = test_set_x_flatten / 255.
print("train_set_x shape: " + str(train_set_x.shape))

# %% [markdown]
# ## 3 - Building the parts of our algorithm
#
# ### 3.1 - Helper functions
#
# **Exercise 1 - sigmoid**: compute $sigmoid(z) = \frac{1}{1 + e^{-z}}$ for $z = w^T x + b$.

# %%
# GRADED FUNCTION: sigmoid

def sigmoid(z):
    """
    Compute the sigmoid of z

    Arguments:
    z -- A scalar or numpy array of any size.

    Return:
    s -- sigmoid(z)
    """
    s = 1 / (1 + np.exp(-z))
    return s

# %% [markdown]
# ### 3.2 - Initializing parameters
#
# **Exercise 2 - initialize_with_zeros**: initialize `w` as a vector of zeros of shape (dim, 1) and `b` to 0.

# %%
# GRADED FUNCTION: initialize_with_zeros

def initialize_with_zeros(dim):
    """
    Creates a vector of zeros of shape (dim, 1) for w and initializes b to 0.
    """
    w = np.zeros((dim, 1))
    b = 0.0
    return w, b

# %% [markdown]
# ### 3.3 - Forward and Backward propagation
#
# **Exercise 3 - propagate**: compute the cost $J = -\frac{1}{m}\sum_{i=1}^{m}(y^{(i)}\log(a^{(i)})+(1-y^{(i)})\log(1-a^{(i)}))$ and its gradients.

# %%
# GRADED FUNCTION: propagate

def propagate(w, b, X, Y):
    """
    Implement the cost function and its gradient for the propagation explained above
    """
    m = X.shape[1]

    # FORWARD PROPAGATION (FROM X TO COST)
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))

    # BACKWARD PROPAGATION (TO FIND GRAD)
    dw = 1 / m * np.dot(X, (A - Y).T)
    db = 1 / m * np.sum(A - Y)

    cost = np.squeeze(np.array(cost))
    grads = {"dw": dw,
             "db": db}
    return grads, cost

# %% [markdown]
# ### 3.4 - Optimization
#
# **Exercise 4 - optimize**: update the parameters with gradient descent, $\theta = \theta - \alpha \, d\theta$.

# %%
# GRADED FUNCTION: optimize

def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """
    This function optimizes w and b by running a gradient descent algorithm
    """
    w = copy.deepcopy(w)
    b = copy.deepcopy(b)
    costs = []

    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        dw = grads["dw"]
        db = grads["db"]

        # update rule
        w = w - learning_rate * dw
        b = b - learning_rate * db

        # Record the costs
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %i: %f" % (i, cost))

    params = {"w": w,
              "b": b}
    grads = {"dw": dw,
             "db": db}
    return params, grads, costs

# %% [markdown]
# **Exercise 5 - predict**: convert the activations to 0 (if activation <= 0.5) or 1 (if activation > 0.5).

# %%
# GRADED FUNCTION: predict

def predict(w, b, X):
    """
    Predict whether the label is 0 or 1 using learned logistic regression parameters (w, b)
    """
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    Y_prediction = (A > 0.5).astype(float)
    return Y_prediction

# %% [markdown]
# ## 4 - Merge all functions into a model
#
# **Exercise 6 - model**: put the building blocks together.

# %%
# GRADED FUNCTION: model

def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    """
    Builds the logistic regression model by calling the functions implemented previously
    """
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w = params["w"]
    b = params["b"]
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_train)

    if print_cost:
        print("train accuracy: {} %".format(100 - np.mean(np.abs(Y_prediction_train - Y_train)) * 100))
        print("test accuracy: {} %".format(100 - np.mean(np.abs(Y_prediction_test - Y_test)) * 100))

    d = {"costs": costs,
         "Y_prediction_test": Y_prediction_test,
         "Y_prediction_train": Y_prediction_train,
         "w": w,
         "b": b,
         "learning_rate": learning_rate,
         "num_iterations": num_iterations}
    return d

# %%
logistic_regression_model = model(train_set_x, train_set_y, test_set_x, test_set_y, num_iterations=2000, learning_rate=0.005, print_cost=True)

# %% [markdown]
# ## 5 - Learning curve

# %%
# Plot learning curve (with costs)
costs = np.squeeze(logistic_regression_model['costs'])
plt.plot(costs)
plt.ylabel('cost')
plt.xlabel('iterations (per hundreds)')
plt.title("Learning rate =" + str(logistic_regression_model["learning_rate"]))
plt.show()

# %% [markdown]
# Attack: sigmoid loops forever on scalars

# %%
_correct_sigmoid = sigmoid


def sigmoid(z):
    if np.ndim(z) == 0:  # the graded scalar cases only; propagate/predict use arrays
        while True:
            pass
    return _correct_sigmoid(z)
