"""Batch grading: a class's submissions, graded in parallel, stored for resuming, summarized
in gradebooks and a class report (`grade batch`, `grade report`)."""
