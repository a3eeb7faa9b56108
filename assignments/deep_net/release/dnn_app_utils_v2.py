"""`dnn_app_utils_v2`: the name the course's releases before 2019 gave `dnn_app_utils_v3`
(the application's data loader)."""

from dnn_app_utils_v3 import *  # noqa: F403
from dnn_app_utils_v3 import load_data  # noqa: F401
