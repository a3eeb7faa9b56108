"""Gradescope: the autograder bundle for an assignment (`bundle.build_bundle`, behind
`grade gradescope`) and what runs inside it for each submission (`autograder.run_autograder`,
started by the bundle's `run_autograder` script as `python -m grader.gradescope`).

The scripts Gradescope runs, `setup.sh` and `run_autograder`, sit beside these modules and are
copied into every bundle.
"""
