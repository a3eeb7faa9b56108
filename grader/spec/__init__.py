"""Assignment specs: the model (`Assignment`, `Task`, `Case`, `Mistake`), loading from
`assignments/<id>/`, case generation from seeds, and the student release.

What instructors import in their `cases.py` and reference solutions: `call`, `CaseInput` and
`Mistake` from `grader.spec`; the checks from `grader.checks`.
"""

from grader.spec.model import Assignment, Case, CaseInput, Limits, Mistake, Task, call

__all__ = ["Assignment", "Case", "CaseInput", "Limits", "Mistake", "Task", "call"]
