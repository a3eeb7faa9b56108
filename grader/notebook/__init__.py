"""A submission and the notebook session that runs it: loading `.ipynb`/`.py` files, telling
which assignment a notebook is, planning which cells grading needs, and the grader-side
session that runs the cells in a sandbox and calls the graded functions."""
