"""Comparators: each module checks one family of values and explains mismatches in plain words.

The sandbox never runs any of this: comparison happens in the grader process.
"""

from grader.checks.accuracy import AccuracyVerdict, check_accuracy
from grader.checks.values import Rules, Tolerance, Verdict, compare_values, describe_type

__all__ = [
    "AccuracyVerdict",
    "Rules",
    "Tolerance",
    "Verdict",
    "check_accuracy",
    "compare_values",
    "describe_type",
]
