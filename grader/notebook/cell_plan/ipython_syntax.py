"""IPython syntax rewritten as plain Python with the same names, without importing IPython.

The planner reads cells with `ast`, which does not know IPython's additions. `neutralize`
finds them where IPython's input transformers do and rewrites them, keeping what matters for
names:

- a cell magic on the first line: `%%time` and `%%capture [var]` keep their body (it runs in
  the notebook), `%%timeit` and `%%prun` keep it as code that may or may not bind (`if 0:`),
  `%%writefile` and every other cell magic make the cell opaque (it always runs);
- at the start of a statement: line magics (`%matplotlib inline` is inert, `%time STMT` is
  STMT, `%timeit STMT` reads STMT's names, `%pip install` is an install), `x = %magic ...`
  and `x = !cmd` (bind `x`), shell escapes (`!cmd`), help (`?obj`, `obj??`);
- nbconvert's spelling of the same (`get_ipython().run_line_magic('matplotlib', 'inline')`,
  `.system(...)`, `.getoutput(...)`, `.run_cell_magic(...)`) and a one-line cell that
  IPython's automagic runs as a magic (`pip install h5py`).

Shell commands that install packages or download files (`pip`, `conda`, `wget`, `curl`,
`git clone`, ...) cannot work in the sandbox (no network) and are only recorded; any other
shell command, and every magic not listed here, makes the cell opaque. Names in `{expr}` and
`$name` expansions are kept as reads.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from enum import StrEnum

from grader.notebook.cell_plan.vocabulary import words

# Line magics that change nothing graded code can see.
INERT_MAGICS = words(
    "matplotlib load_ext reload_ext unload_ext autoreload aimport config who whos who_ls "
    "lsmagic magic pwd ls ll lf lk lx ldir history hist xmode precision pprint colors pinfo "
    "pinfo2 pdoc pdef psource pfile page quickref doctest_mode automagic autoindent autosave "
    "autocall tb pdb debug clear cls dhist dirs notebook killbgscripts save logstart logstop "
    "logon logoff logstate"
)
# Magics whose argument is a Python statement; True: it runs in the notebook's namespace.
STATEMENT_MAGICS = {"time": True, "timeit": False, "prun": False}
# Options of those magics that take a value (`%timeit -n 10 f(x)`).
_VALUE_OPTIONS = {"time": "", "timeit": "nrp", "prun": "DlsT"}
INSTALL_MAGICS = frozenset({"pip", "conda", "mamba"})
SHELL_MAGICS = frozenset({"sx", "system", "sc"})
# Magics that change the working directory or environment variables: they always run.
ENVIRONMENT_MAGICS = words("cd env set_env pushd popd")
# Magics that read no notebook names but do what the planner cannot follow: they always run.
SELF_CONTAINED_MAGICS = words(
    "bookmark alias unalias run load loadpy store reset reset_selective xdel pylab"
)
# Cell magics whose body is not Python run in the notebook: it reads no notebook names.
FOREIGN_CELL_MAGICS = words(
    "bash sh script html javascript js latex markdown svg perl ruby python python2 python3 "
    "pypy sx system ! writefile file"
)
# First words of shell commands that install packages or fetch files from the network.
INSTALL_COMMANDS = words("pip pip3 conda mamba apt apt-get yum brew wget curl gdown git kaggle")
AUTOMAGIC_NAMES = (
    INERT_MAGICS
    | INSTALL_MAGICS
    | SHELL_MAGICS
    | ENVIRONMENT_MAGICS
    | SELF_CONTAINED_MAGICS
    | set(STATEMENT_MAGICS)
)
MAX_CELL_MAGIC_NESTING = 8

_NEWLINE = re.compile(r"\r\n|\r|\n")
_PROMPT = re.compile(r"^(?:>>>(?: |$)|\.\.\.(?: |$)|In \[\d+\]: |[ \t]*\.\.\.+: )")
_ESCAPE = re.compile(r"[ \t]*(?:[%!?/,;]|.*(?:\?|=[ \t]*[%!].*|get_ipython\(\).*)$)")
_LINE_MAGIC = re.compile(r"%(?P<name>\w+)(?P<rest>.*)", re.DOTALL)
# An assignment target IPython accepts before `= %magic` or `= !cmd`: names, dotted, tuples.
_TARGET = r"[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*"
_ASSIGN = re.compile(rf"(?P<target>{_TARGET})[ \t]*=[ \t]*(?P<command>[%!].*)", re.DOTALL)
_HELP = re.compile(r"\?{0,2}%{0,2}[\w.*]+(?:\[[^\]]*\])?\?{0,2}[ \t]*")
_GET_IPYTHON = re.compile(
    rf"(?:(?P<target>{_TARGET})[ \t]*=[ \t]*)?get_ipython\(\)\."
    r"(?P<method>run_line_magic|system|getoutput)\((?P<args>.*)\)[ \t]*"
)
_BRACES = re.compile(r"\{([^{}]+)\}")
_DOLLAR = re.compile(r"\$([A-Za-z_]\w*)")
_SHELL_SPLIT = re.compile(r"&&|\|\||[;|]")
# Lines that may hold IPython syntax (a superset of what `_ESCAPE` matches line by line).
_MAYBE_ESCAPE = re.compile(r"^[ \t]*[%!?/,;]|\?[ \t]*$|=[ \t]*[%!]|get_ipython\(\)", re.MULTILINE)
_CODE_TOKENS = re.compile(r"""'{3}|"{3}|['"#()\[\]{}]""")
_STRING_TOKENS = {quote: re.compile(r"\\.|" + quote) for quote in ("'", '"', "'" * 3, '"' * 3)}


class Effect(StrEnum):
    """What an opaque part of a cell does, as far as the planner can tell."""

    UNKNOWN = "cannot be analyzed"
    WRITES_FILE = "writes a file"  # `%%writefile`: later cells may import or read it
    ENVIRONMENT = "changes the environment"  # sys.path, working directory, variables, config


@dataclass(frozen=True)
class Opaque:
    """A part of a cell the planner cannot see into: the cell always runs.

    Attributes:
        what: What it is, as written (`%%bash`, `%cd`, `!ls`, `sys.path.append`).
        effect: What it does, as far as the planner can tell.
        reads_anything: It may read any name the notebook has bound (unknown magics).
    """

    what: str
    effect: Effect = Effect.UNKNOWN
    reads_anything: bool = False


@dataclass(frozen=True)
class Neutralized:
    """A cell as plain Python, and what its IPython syntax did.

    Attributes:
        python: Code with the same names read and bound as the cell.
        changed: Whether the cell used any IPython syntax.
        magics: Magics it uses that the planner understands (`%matplotlib`, `%timeit`).
        installs: Package installs and downloads it runs (`pip install h5py`).
        opaque: The parts it cannot see into.
    """

    python: str
    changed: bool = False
    magics: tuple[str, ...] = ()
    installs: tuple[str, ...] = ()
    opaque: tuple[Opaque, ...] = ()


def neutralize(source: str, nesting: int = 0) -> Neutralized:
    """Rewrite one cell's IPython syntax as plain Python (see the module docstring)."""
    source = _from_run_cell_magic(source)
    lines = _NEWLINE.split(source)
    while lines and not lines[0].strip():
        lines.pop(0)
    prompted = bool(lines) and _PROMPT.match(lines[0]) is not None
    if prompted:  # pasted from a console: IPython drops the prompts
        lines = [_PROMPT.sub("", line, count=1) for line in lines]
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip(" \t"))] if lines else ""
    if indent:  # IPython removes the first line's indentation from every line
        lines = [line[len(indent) :] if line.startswith(indent) else line for line in lines]
    if lines and lines[0].startswith("%%"):
        return _cell_magic(lines[0], lines[1:], nesting)
    rewriter = _Rewriter()
    if len(lines) == 1 or _MAYBE_ESCAPE.search(source):
        rewriter.feed(lines)
    else:
        rewriter.lines = lines
    if not rewriter.changed and len(lines) == 1 and _is_automagic(lines[0]):
        return neutralize("%" + lines[0], nesting)
    python = "\n".join(rewriter.lines) if rewriter.changed or indent or prompted else source
    return Neutralized(
        python,
        rewriter.changed,
        tuple(rewriter.magics),
        tuple(rewriter.installs),
        tuple(rewriter.opaque),
    )


class _Rewriter:
    """Rewrites escape lines at statement starts; other lines are kept as they are."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.magics: list[str] = []
        self.installs: list[str] = []
        self.opaque: list[Opaque] = []
        self.changed = False

    def feed(self, lines: list[str]) -> None:
        scanner = _Scanner()
        i = 0
        while i < len(lines):
            if scanner.at_statement_start() and _ESCAPE.match(lines[i]):
                end = i
                while lines[end].endswith("\\") and end + 1 < len(lines):
                    end += 1
                logical = "".join(line.removesuffix("\\") for line in lines[i : end + 1])
                indent = logical[: len(logical) - len(logical.lstrip(" \t"))]
                rewritten = self.escape(logical[len(indent) :], indent)
                if rewritten is not None:
                    self.lines.extend(rewritten)
                    self.changed = True
                    i = end + 1
                    continue
            scanner.scan(lines[i])
            self.lines.append(lines[i])
            i += 1

    def escape(self, text: str, indent: str) -> list[str] | None:
        """Python lines for one logical line of IPython syntax, or None if it is not one."""
        ipython = _GET_IPYTHON.fullmatch(text)
        if ipython:
            translated = _translate_get_ipython(ipython)
            if translated is None:
                return None
            text = translated
        assign = _ASSIGN.fullmatch(text)
        if assign and not text.startswith(("%", "!")):
            command = self.escape(assign["command"], indent)
            return [*(command or []), f"{indent}{assign['target']} = 0"]
        if text.startswith("!"):
            return self.shell(text.lstrip("!"), indent)
        if text.startswith("%%"):  # a cell magic below the first line: IPython rejects it
            self.opaque.append(Opaque(text.split()[0], reads_anything=True))
            return [f"{indent}pass"]
        magic = _LINE_MAGIC.fullmatch(text)
        if magic:
            return self.line_magic(magic["name"], magic["rest"], indent)
        if _HELP.fullmatch(text) and "?" in text:
            self.magics.append(text.strip())
            return [f"{indent}pass"]
        if text.startswith(("/", ",", ";")):  # autocall escapes: `/f x` calls f(x)
            self.opaque.append(Opaque(text.split()[0], reads_anything=True))
            return [f"{indent}pass"]
        return None

    def line_magic(self, name: str, rest: str, indent: str) -> list[str]:
        if name in STATEMENT_MAGICS:
            self.magics.append(f"%{name}")
            statement = _strip_options(rest, _VALUE_OPTIONS[name])
            if not statement:
                return [f"{indent}pass"]
            if STATEMENT_MAGICS[name]:
                return [indent + statement]
            return [f"{indent}if 0:", f"{indent} {statement}"]
        if name in INERT_MAGICS:
            self.magics.append(f"%{name}")
            return [f"{indent}pass"]
        if name in INSTALL_MAGICS:
            self.installs.append(f"{name} {rest.strip()}".strip())
            return _expansion_reads(rest, indent)
        if name in SHELL_MAGICS:
            return self.shell(rest, indent)
        if name in ENVIRONMENT_MAGICS:
            self.opaque.append(Opaque(f"%{name}", Effect.ENVIRONMENT))
        else:
            reads_anything = name not in SELF_CONTAINED_MAGICS or (
                name == "run" and "-i" in rest.split()
            )
            self.opaque.append(Opaque(f"%{name}", reads_anything=reads_anything))
        return _expansion_reads(rest, indent)

    def shell(self, command: str, indent: str) -> list[str]:
        command = command.strip()
        if command and all(_installs(part) for part in _SHELL_SPLIT.split(command)):
            self.installs.append(command)
        else:
            self.opaque.append(Opaque("!" + (command.split() or [""])[0]))
        return _expansion_reads(command, indent)


class _Scanner:
    """Tracks strings, brackets and backslashes to tell where statements start."""

    def __init__(self) -> None:
        self.quote = ""
        self.depth = 0
        self.continued = False

    def at_statement_start(self) -> bool:
        return not self.quote and not self.depth and not self.continued

    def scan(self, line: str) -> None:
        i, n, comment = 0, len(line), False
        while i < n:
            if self.quote:
                match = _STRING_TOKENS[self.quote].search(line, i)
                i = match.end() if match else n
                if match and match.group() == self.quote:
                    self.quote = ""
                continue
            match = _CODE_TOKENS.search(line, i)
            if match is None:
                break
            token, i = match.group(), match.end()
            if token == "#":
                comment = True
                break
            if token in "([{":
                self.depth += 1
            elif token in ")]}":
                self.depth = max(0, self.depth - 1)
            else:
                self.quote = token
        self.continued = not comment and line.endswith("\\")
        if len(self.quote) == 1 and not self.continued:
            self.quote = ""  # an unterminated one-line string: a syntax error, not our business


def _cell_magic(first: str, body: list[str], nesting: int) -> Neutralized:
    name, args = [*first[2:].split(None, 1), "", ""][:2]
    if name in ("time", "capture", "timeit", "prun") and nesting < MAX_CELL_MAGIC_NESTING:
        inner = neutralize("\n".join(body), nesting + 1)
        python = inner.python if inner.python.strip() else "pass"
        if name in ("timeit", "prun"):
            python = "if 0:\n" + "\n".join(" " + line for line in _NEWLINE.split(python))
        names = [word for word in args.split() if not word.startswith("-")]
        if name == "capture" and names and names[0].isidentifier():
            python = f"{names[0]} = 0\n{python}"
        magics = (f"%%{name}", *inner.magics)
        return Neutralized(python, True, magics, inner.installs, inner.opaque)
    writes = name in ("writefile", "file")
    opaque = Opaque(
        f"%%{name} {args.strip()}".strip() if writes else f"%%{name}",
        Effect.WRITES_FILE if writes else Effect.UNKNOWN,
        reads_anything=name not in FOREIGN_CELL_MAGICS,
    )
    return Neutralized("\n".join(_expansion_reads(args, "")), True, opaque=(opaque,))


def _from_run_cell_magic(source: str) -> str:
    """nbconvert writes a cell magic as `get_ipython().run_cell_magic(name, line, body)`."""
    if "run_cell_magic" not in source:
        return source
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return source
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return source
    call = tree.body[0].value
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "run_cell_magic"
        and ast.unparse(call.func.value) == "get_ipython()"
        and len(call.args) == 3
        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args)
    ):
        name, line, body = (a.value for a in call.args)  # type: ignore[attr-defined]
        return f"%%{name} {line}\n{body}"
    return source


def _translate_get_ipython(match: re.Match[str]) -> str | None:
    try:
        args = ast.literal_eval(f"({match['args']},)")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not args or not all(isinstance(a, str) for a in args):
        return None
    method = match["method"]
    if method == "run_line_magic" and len(args) == 2:
        command = f"%{args[0]} {args[1]}"
    elif method in ("system", "getoutput") and len(args) == 1:
        command = "!" + args[0]
    else:
        return None
    return f"{match['target']} = {command}" if match["target"] else command


def _strip_options(rest: str, value_options: str) -> str:
    words = rest.strip().split(" ")
    while words and words[0].startswith("-") and len(words[0]) > 1:
        option = words.pop(0)
        if option[1:] in tuple(value_options) and words:
            words.pop(0)  # `-n 10`: the value is the next word
    return " ".join(words).strip()


def _installs(command: str) -> bool:
    words = command.split()
    while words and (words[0] in ("sudo", "-m", "-q") or words[0].startswith("python")):
        words.pop(0)
    return bool(words) and words[0] in INSTALL_COMMANDS


def _expansion_reads(text: str, indent: str) -> list[str]:
    """IPython expands `{expr}` and `$name` in shell commands and magics: they read names."""
    expressions = [m for m in _BRACES.findall(text) if _is_expression(m)]
    expressions += _DOLLAR.findall(text)
    if not expressions:
        return [f"{indent}pass"]
    return [f"{indent}({', '.join(expressions)},)"]


def _is_expression(text: str) -> bool:
    try:
        ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _is_automagic(line: str) -> bool:
    """A one-line cell `pip install x`: IPython runs `%pip install x` if it is not Python."""
    word = line.split(" ", 1)[0]
    if word not in AUTOMAGIC_NAMES:
        return False
    try:
        ast.parse(line)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return False
