"""`dnn_utils_v2`: the name the course's releases before 2021 gave `dnn_utils` (sigmoid, relu
and their backward functions, each returning the cache the course expects)."""

from dnn_utils import *  # noqa: F403
from dnn_utils import relu, relu_backward, sigmoid, sigmoid_backward  # noqa: F401
