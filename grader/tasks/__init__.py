"""Task graders: one module per task kind (see `registry.TASK_GRADERS`), the grading context
they share (`context`), how a graded function is called (`calls`), what a failed call means
(`failures`), which known mistake explains a wrong value (`diagnosis`), and the words a student
reads (`messages`)."""
