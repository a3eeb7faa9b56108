"""Run only what grading needs: a static plan of a notebook's cells.

`plan_cells(sources, functions, variables)` decides from each cell's code alone (its syntax
tree; IPython syntax is read without importing IPython) which cells grading needs:

- the last cell that binds each graded function and variable for sure, and every later cell
  that binds it on some path only (inside `if`, `for`, `try`, `with`);
- for each needed cell, what its top-level code reads before binding it, as it is just
  before that cell (the same walk back from the cell), and what the functions and classes
  it defines read when called, as it is at the end (they are called at grading time);
- for a function read at top level (probably called there), what it reads, as it is there;
- cells that change a needed object in place before it is read (`d["k"] = v`,
  `obj.attr = v`, `lst.append(x)`; calling a function that assigns a global or changes one);
- the random state: cells that seed (`np.random.seed`, `tf.random.set_seed`, ...) or draw
  random numbers before a needed cell that draws at top level;
- always: star imports, `%%writefile`, cells that change where imports and files come from
  or how Keras builds models (`sys.path.append`, `os.environ[...] =`, `%cd`,
  `keras.backend.set_floatx`, ...), cells that cannot be analyzed (most cell magics, unknown
  magics, shell commands other than installs and downloads, exec/eval/globals()/
  get_ipython(), which also need every cell before them), and cells that do not parse (so
  that their error is recorded; they need nothing).

Everything else is skipped: training, plotting, printing and download cells after the
definitions, test calls, and earlier definitions of names that are redefined later. Each
cell's plan has a reason an instructor can read. `cells_to_add(plan, name)` names the skipped
cells to run when a graded call still finds a global name missing.

Known limits (a skipped cell that was needed would cost a student points, so these are
listed): an object changed through an alias (`a = params; a["W1"] = 0`) or by a function
that is passed it (other than in-place numpy/random functions and methods such as `append`,
`update`, `fit`); a module's submodule imported only by an earlier, skipped cell; files
created by skipped shell installs or downloads; names bound by star imports are not known,
so those cells always run.
"""

from grader.notebook.cell_plan.planner import CellPlan, Decision, cells_to_add, plan_cells

__all__ = ["CellPlan", "Decision", "cells_to_add", "plan_cells"]
