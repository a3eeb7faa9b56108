"""Independent checks inside assignments agree with the references they verify."""

from __future__ import annotations

import pytest

from grader.spec.cases import generate_cases
from grader.spec.load import load_assignment, load_cases_module, load_reference


@pytest.mark.parametrize("seed", [1, 7, 20260101])
def test_conv_backward_agrees_with_numerical_gradients(seed: int) -> None:
    """Do the reference's conv gradients pass the numerical gradient check on every case, and
    does a wrong dW fail it?"""
    assignment = load_assignment("conv_pool", hidden_seed=seed)
    cases_module = load_cases_module(assignment)
    reference = load_reference(assignment)
    task = next(t for t in assignment.tasks if t.name == "conv_backward")
    for case in generate_cases(assignment, task, cases_module):
        dA_prev, dW, db = reference.conv_backward(*case.inputs.args)
        got = {"dA_prev": dA_prev, "dW": dW, "db": db}
        assert cases_module._numerical_evidence(case.inputs, got, list(got)) == []
        assert cases_module.check_conv_backward(case.inputs, (dA_prev, dW, db)).ok
        wrong = cases_module.check_conv_backward(case.inputs, (dA_prev, dW * 0.5, db))
        assert not wrong.ok and any("numerical gradient" in d for d in wrong.details)
