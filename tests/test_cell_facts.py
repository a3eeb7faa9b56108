"""What does one cell do with names? Bindings, reads, function bodies and IPython syntax,
as the cell planner reads them."""

from __future__ import annotations

import pytest

from grader.notebook.cell_plan.facts import RANDOM_STATE, CellKind, analyze_cell
from grader.notebook.cell_plan.ipython_syntax import Effect, neutralize


@pytest.mark.parametrize(
    ("source", "binds", "maybe", "reads"),
    [
        ("a, (b, *c) = f(x)", {"a", "b", "c"}, set(), {"f", "x"}),
        ("x += 1", {"x"}, set(), {"x"}),
        ("y = 1\ny += x", {"y"}, set(), {"x"}),
        (
            "for i, v in enumerate(xs):\n    total = v",
            set(),
            {"i", "v", "total"},
            {"enumerate", "xs"},
        ),
        ("with open(p) as fh:\n    data = fh.read()", {"fh"}, {"data"}, {"p", "open"}),
        (
            "try:\n    import tf\nexcept ImportError as e:\n    tf = None",
            set(),
            {"tf", "e"},
            {"ImportError"},
        ),
        ("if (n := len(xs)) > 2:\n    big = n", {"n"}, {"big"}, {"len", "xs"}),
        ("squares = [i * i for i in range(k)]", {"squares"}, set(), {"range", "k"}),
        ("del old", set(), {"old"}, {"old"}),
        ("import a.b.c\nimport d.e as f\nfrom g import h as i", {"a", "f", "i"}, set(), set()),
        ("x: int = y", {"x"}, set(), {"y", "int"}),
        ("d['k'] = v\nobj.attr = w", set(), {"d", "obj"}, {"d", "v", "obj", "w"}),
    ],
)
def test_top_level_bindings_and_reads(
    source: str, binds: set[str], maybe: set[str], reads: set[str]
) -> None:
    """Which names does a cell bind for sure, bind on some paths, and read from before?"""
    facts = analyze_cell(source)
    assert facts.kind is CellKind.CODE
    assert (facts.binds, facts.maybe_binds, facts.reads) == (binds, maybe, reads)


def test_function_and_class_bodies_read_their_free_globals() -> None:
    """Are parameters, locals, comprehension variables and nested functions' locals left out
    of what a function reads, and a class's methods' globals counted for the class?"""
    facts = analyze_cell(
        "def f(a, *args, k=DEFAULT, **kw):\n    b = a + OFFSET\n"
        "    total = sum(x * b for x in args)\n    def inner(y):\n        return y * SCALE\n"
        "    return inner(total) + len([c for c in kw])\n\n"
        "class Net(Base):\n    units = 4\n    def forward(self, x):\n"
        "        return activation(x) * self.units\n\nscale = lambda v: v * FACTOR"
    )
    functions = {f.name: f for f in facts.functions}
    assert functions["f"].reads == {"OFFSET", "sum", "SCALE", "len"}
    assert functions["Net"].reads == {"activation"}
    assert functions["scale"].reads == {"FACTOR"}
    assert facts.reads == {"DEFAULT", "Base", "FACTOR"}  # evaluated when the cell runs


def test_random_state_and_global_writes_of_functions() -> None:
    """Does a function that seeds before drawing not read the random state, one that draws
    unseeded read it, and both change it; does `global` make an assignment a write?"""
    facts = analyze_cell(
        "def seeded():\n    np.random.seed(3)\n    return np.random.randn(2)\n\n"
        "def unseeded():\n    return np.random.randn(2)\n\n"
        "def setter():\n    global W\n    W = 1\n    cache['k'] = 2"
    )
    functions = {f.name: f for f in facts.functions}
    assert RANDOM_STATE not in functions["seeded"].reads
    assert RANDOM_STATE in functions["unseeded"].reads
    assert RANDOM_STATE in functions["seeded"].writes
    assert functions["setter"].writes == {"W", "cache"}


@pytest.mark.parametrize(
    ("source", "python"),
    [
        ("%matplotlib inline", "pass"),
        ("  %time y = f(x)", "y = f(x)"),
        ("%timeit -n 10 -r3 f(x)", "if 0:\n f(x)"),
        ("res = %timeit -o f(x)", "if 0:\n f(x)\nres = 0"),
        ("files = !ls {folder} $pattern", "(folder, pattern,)\nfiles = 0"),
        ("for i in range(3):\n    %time f(i)", "for i in range(3):\n    f(i)"),
        ("?np.dot\nnp.dot??", "pass\npass"),
        ('s = """\n%not a magic\n!nor a shell\n"""', 's = """\n%not a magic\n!nor a shell\n"""'),
        ('print("x=%d" % x)', 'print("x=%d" % x)'),
        ("x = (1,\n%2)", "x = (1,\n%2)"),
        ("get_ipython().run_line_magic('time', 'f(x)')", "f(x)"),
        ("%%timeit\ny = g(x)", "if 0:\n y = g(x)"),
        ("%%capture --no-stderr cap\nx = 1", "cap = 0\nx = 1"),
    ],
)
def test_ipython_syntax_becomes_python_with_the_same_names(source: str, python: str) -> None:
    """Is IPython syntax rewritten where IPython finds it, and left alone in strings,
    brackets and format expressions?"""
    assert neutralize(source).python == python


def test_nbconvert_cell_magic_and_unknown_magics() -> None:
    """Is nbconvert's `run_cell_magic` read as the cell magic, and an unknown magic opaque
    (it may read anything)?"""
    written = neutralize("get_ipython().run_cell_magic('writefile', 'h.py', 'x = 1\\n')")
    assert [part.what for part in written.opaque] == ["%%writefile h.py"]
    assert written.opaque[0].effect is Effect.WRITES_FILE
    unknown = neutralize("%lprun -f f f(x)")
    assert unknown.opaque[0].reads_anything
    assert not neutralize("%cd data").opaque[0].reads_anything
    assert neutralize("%run -i script.py").opaque[0].reads_anything
