"""A reusable audit of a generated package: spec text only ever lands in literals.

`audit_package(pkg)` checks a generated package on its own (every module parses, no
dangerous calls or imports, no comment the templates cannot produce, no raw control or
bidi characters, a sane README and manifest). `audit_package(pkg, benign)` also compares
it with the package generated from the *benign twin* of its spec (same structure, plain
strings): once string/number constants and identifier spellings are abstracted away,
every module must have exactly the same AST, so spec text can have changed constants and
names but never added a statement, expression, call, import or decorator.

Findings are readable `file:line: problem` strings; an empty list means clean.
"""

from __future__ import annotations

import ast
import io
import json
import re
import sys
import tokenize
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from oagen.plan.common import FMT_SKIP

__all__ = ["ast_shape", "audit_package", "known_comments"]

# --- AST shape -------------------------------------------------------------------------

# (node type, field) pairs holding identifier spellings: abstracted in the shape.
_NAME_FIELDS = {
    ("Name", "id"),
    ("Attribute", "attr"),
    ("FunctionDef", "name"),
    ("AsyncFunctionDef", "name"),
    ("ClassDef", "name"),
    ("arg", "arg"),
    ("alias", "name"),
    ("alias", "asname"),
    ("keyword", "arg"),
    ("ImportFrom", "module"),
    ("ExceptHandler", "name"),
    ("MatchAs", "name"),
    ("MatchStar", "name"),
    ("MatchMapping", "rest"),
    ("TypeVar", "name"),
    ("ParamSpec", "name"),
    ("TypeVarTuple", "name"),
}
_NAME_LIST_FIELDS = {("Global", "names"), ("Nonlocal", "names"), ("MatchClass", "kwd_attrs")}
_IGNORED_FIELDS = {"type_comment", "kind"}


def _name_token(value: object) -> str:
    # `*` (star import) and None (absent name, `**kwargs` keyword) are structure
    if value is None:
        return "<none>"
    if value == "*":
        return "*"
    return "<name>"


def _is_docstring(node: object) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _joined(nodes: list[Any]) -> list[Any]:
    """`nodes` with each declaration `NAME: T` followed by `NAME = value` read as the
    one statement `NAME: T = value` it stands for (at module level, the same): the
    layout of a typed constant whose line does not fit (`plan.common.generic_opening`)."""
    out: list[Any] = []
    for node in nodes:
        last = out[-1] if out else None
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(last, ast.AnnAssign)
            and last.value is None
            and isinstance(last.target, ast.Name)
            and last.target.id == node.targets[0].id
        ):
            joined = ast.AnnAssign(last.target, last.annotation, node.value, last.simple)
            out[-1] = ast.copy_location(joined, last)
        else:
            out.append(node)
    return out


def ast_shape(node: Any) -> Any:
    """A hashable form of `node` with constants and identifier spellings abstracted.

    Docstring statements (bare string constants) are left out: a blank description
    legitimately drops one, and a string statement executes nothing.
    """
    if isinstance(node, list):
        return tuple(ast_shape(item) for item in _joined(node) if not _is_docstring(item))
    if not isinstance(node, ast.AST):
        return node
    kind = type(node).__name__
    if isinstance(node, ast.Constant):
        # any literal may stand for any other (a hostile server URL may become None)
        return (kind,)
    parts: list[Any] = [kind]
    for field in node._fields:
        if field in _IGNORED_FIELDS:
            continue
        value = getattr(node, field, None)
        if (kind, field) in _NAME_FIELDS:
            parts.append((field, _name_token(value)))
        elif (kind, field) in _NAME_LIST_FIELDS:
            parts.append((field, len(value or ())))
        else:
            parts.append((field, ast_shape(value)))
    return tuple(parts)


def _first_difference(a: Any, b: Any, line: int = 1) -> tuple[int, str] | None:
    """Where the shapes of `a` (audited) and `b` (twin) first differ: (line, what)."""
    if isinstance(a, list) or isinstance(b, list):
        a_list = [x for x in _joined(a or []) if not _is_docstring(x)]
        b_list = [y for y in _joined(b or []) if not _is_docstring(y)]
        for x, y in zip(a_list, b_list, strict=False):
            found = _first_difference(x, y, line)
            if found:
                return found
            line = getattr(x, "end_lineno", line) or line
        if len(a_list) != len(b_list):
            extra = a_list[len(b_list) :] if len(a_list) > len(b_list) else []
            where = getattr(extra[0], "lineno", line) if extra else line
            what = extra[0] if extra else b_list[len(a_list)]
            verb = "extra" if extra else "missing"
            return where, f"{verb} {type(what).__name__} (not in the benign twin)"
        return None
    if ast_shape(a) == ast_shape(b):
        return None
    line = getattr(a, "lineno", line)
    if not isinstance(a, ast.AST) or not isinstance(b, ast.AST) or type(a) is not type(b):
        return line, f"{_label(a)} where the benign twin has {_label(b)}"
    for field in a._fields:
        if field in _IGNORED_FIELDS:
            continue
        x, y = getattr(a, field, None), getattr(b, field, None)
        found = _first_difference(x, y, line)
        if found:
            return found
    return line, f"{type(a).__name__} differs from the benign twin"


def _label(node: object) -> str:
    if isinstance(node, ast.AST):
        return type(node).__name__
    return repr(node)[:40]


# --- comments --------------------------------------------------------------------------

_HEADER = re.compile(
    r"^# Generated by oagen (?P<ver>[^ ]+) from (?P<name>[\x20-\x7e]+)\. Do not edit\.$"
)
_JINJA_COMMENT = re.compile(r"(?:^|\s)(#\s[^\n]*)$")


# The one comment the planner writes: after a statement no line fits (which ones get
# it depends on the lengths of names, as where lines break does).
LAYOUT_COMMENT = FMT_SKIP.strip()


@cache
def known_comments() -> frozenset[str]:
    """Every comment the shipped templates can emit (runtime files and package
    templates), and the planner's layout comment."""
    root = resources.files("oagen.templates")
    found: set[str] = {LAYOUT_COMMENT}
    for entry in root.joinpath("runtime").iterdir():
        if entry.name.endswith(".py"):
            found.update(_comments(entry.read_text(encoding="utf-8")))
    for entry in root.joinpath("package").iterdir():
        if entry.name.endswith(".jinja"):
            for line in entry.read_text(encoding="utf-8").splitlines():
                match = _JINJA_COMMENT.search(line)
                if match and "{{" not in match.group(1) and "{%" not in match.group(1):
                    found.add(match.group(1).rstrip())
    return frozenset(found)


def _comments(source: str) -> list[str]:
    return [
        tok.string
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    ]


def _comment_tokens(source: str) -> list[tuple[int, str]]:
    return [
        (tok.start[0], tok.string.rstrip())
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    ]


def _normal_comment(line: int, text: str) -> str:
    if line == 1 and _HEADER.match(text):
        return "<header>"
    return text


# --- calls and imports -----------------------------------------------------------------

_FORBIDDEN_CALLS = {
    "eval", "exec", "compile", "__import__", "breakpoint", "input", "open",
    "setattr", "delattr", "locals", "vars", "memoryview",
}  # fmt: skip
_FORBIDDEN_ATTR_CALLS = {
    ("os", None), ("subprocess", None), ("pty", None), ("shutil", None), ("socket", None),
    ("pickle", "loads"), ("pickle", "load"), ("marshal", "loads"), ("builtins", None),
    ("sys", "exit"), ("ctypes", None), ("runpy", None), ("code", None),
}  # fmt: skip
_FORBIDDEN_MODULES = {
    "os", "posix", "nt", "subprocess", "shutil", "socket", "pickle", "marshal", "ctypes",
    "builtins", "pty", "code", "codeop", "runpy", "multiprocessing", "webbrowser", "pdb",
    "shelve", "signal", "sys", "tempfile", "urllib.request", "http.client", "ftplib",
    "smtplib", "telnetlib", "asyncio.subprocess",
}  # fmt: skip
_ALLOWED_THIRD_PARTY = {"httpx"}


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _is_relative_import_module(call: ast.AST) -> bool:
    """`importlib.import_module(f".{x}", __name__)` / `(".x", __name__)`: package-local."""
    if not (isinstance(call, ast.Call) and _dotted(call.func) == "importlib.import_module"):
        return False
    if not call.args:
        return False
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        relative = first.value.startswith(".")
    elif isinstance(first, ast.JoinedStr) and first.values:
        head = first.values[0]
        relative = isinstance(head, ast.Constant) and str(head.value).startswith(".")
    else:
        relative = False
    package = call.args[1] if len(call.args) > 1 else None
    return relative and isinstance(package, ast.Name) and package.id == "__name__"


def _check_calls(tree: ast.AST, rel: str) -> Iterator[str]:
    dunder_funcs = {
        id(sub)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in {"__getattr__", "__dir__"}
        for sub in ast.walk(node)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        line = node.lineno
        if name in _FORBIDDEN_CALLS:
            yield f"{rel}:{line}: call of {name}()"
        elif name == "globals" and id(node) not in dunder_funcs:
            yield f"{rel}:{line}: call of globals() outside a module __getattr__/__dir__"
        elif name == "getattr":
            attr = node.args[1] if len(node.args) > 1 else None
            constant = isinstance(attr, ast.Constant) and isinstance(attr.value, str)
            if not constant and not (node.args and _is_relative_import_module(node.args[0])):
                yield f"{rel}:{line}: getattr() with a computed attribute name"
        elif name == "importlib.import_module" and not _is_relative_import_module(node):
            yield f"{rel}:{line}: importlib.import_module() of a non-relative module"
        elif name and "." in name:
            head, _, attr = name.rpartition(".")
            root = head.split(".")[0]
            if (root, None) in _FORBIDDEN_ATTR_CALLS or (head, attr) in _FORBIDDEN_ATTR_CALLS:
                yield f"{rel}:{line}: call of {name}()"
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in {"__builtins__", "__loader__", "__spec__"}:
            yield f"{rel}:{node.lineno}: use of {node.id}"


def _module_allowed(module: str) -> bool:
    top = module.split(".", maxsplit=1)[0]
    if module in _FORBIDDEN_MODULES or top in _FORBIDDEN_MODULES:
        return False
    return top in sys.stdlib_module_names or top in _ALLOWED_THIRD_PARTY or top == "__future__"


def _check_imports(tree: ast.AST, rel: str) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not _module_allowed(alias.name):
                    yield f"{rel}:{node.lineno}: import of {alias.name!r}"
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            module = node.module or ""
            # the one use of `os`: the clients read credentials from the environment
            if module == "os" and [a.name for a in node.names] == ["environ"]:
                continue
            if not _module_allowed(module):
                yield f"{rel}:{node.lineno}: import from {module!r}"


def _check_expressions(tree: ast.AST, rel: str) -> Iterator[str]:
    """Bare expression statements are docstrings (plain str constants), calls or awaits."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                continue
            if isinstance(value, ast.Call | ast.Await | ast.Yield | ast.YieldFrom):
                continue
            if isinstance(value, ast.Constant) and value.value is Ellipsis:
                continue
            yield f"{rel}:{node.lineno}: bare expression statement ({type(value).__name__})"
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module):
            body = node.body
            if body and isinstance(body[0], ast.Expr):
                doc = body[0].value
                if isinstance(doc, ast.JoinedStr):
                    yield f"{rel}:{body[0].lineno}: docstring is an f-string"


# --- raw text --------------------------------------------------------------------------


def _bad_characters(text: str, rel: str) -> Iterator[str]:
    for number, line in enumerate(text.split("\n"), start=1):
        for ch in line:
            if not ch.isprintable():
                yield f"{rel}:{number}: raw non-printable character U+{ord(ch):04X}"
                break


def _check_markers(source: str, rel: str, markers: Sequence[str]) -> Iterator[str]:
    if not markers:
        return
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if not any(m in tok.string for m in markers):
            continue
        if tok.type == tokenize.STRING:
            continue
        if tok.type == tokenize.COMMENT and tok.start[0] == 1 and _HEADER.match(tok.string):
            continue
        kind = tokenize.tok_name[tok.type]
        yield f"{rel}:{tok.start[0]}: spec text outside a string literal ({kind} token)"


# --- per-kind audits -------------------------------------------------------------------


def _audit_python(path: Path, rel: str, twin: Path | None, markers: Sequence[str]) -> Iterator[str]:
    try:
        source = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        yield f"{rel}:1: cannot read as UTF-8 ({exc})"
        return
    try:
        tree = ast.parse(source, filename=rel)
    except SyntaxError as exc:
        yield f"{rel}:{exc.lineno or 1}: does not parse: {exc.msg}"
        return
    yield from _bad_characters(source, rel)
    yield from _check_calls(tree, rel)
    yield from _check_imports(tree, rel)
    yield from _check_expressions(tree, rel)
    try:
        comments = _comment_tokens(source)
        yield from _check_markers(source, rel, markers)
    except (tokenize.TokenError, SyntaxError) as exc:
        yield f"{rel}:1: does not tokenize: {exc}"
        return
    for line, text in comments:
        if line == 1 and text.startswith("# Generated by oagen") and not _HEADER.match(text):
            yield f"{rel}:1: malformed generated-file header {text[:80]!r}"
    if twin is None:
        known = known_comments()
        for line, text in comments:
            if _normal_comment(line, text) != "<header>" and text not in known:
                yield f"{rel}:{line}: comment no template produces: {text[:80]!r}"
        return
    twin_source = twin.read_text(encoding="utf-8")
    twin_tree = ast.parse(twin_source, filename=str(twin))
    if ast_shape(tree) != ast_shape(twin_tree):
        found = _first_difference(tree.body, twin_tree.body)
        line, what = found if found else (1, "module differs from the benign twin")
        yield f"{rel}:{line}: AST shape differs from the benign twin: {what}"
    expected = Counter(_normal_comment(n, t) for n, t in _comment_tokens(twin_source))
    for line, text in comments:
        key = _normal_comment(line, text)
        if key == LAYOUT_COMMENT:
            continue
        if expected[key] > 0:
            expected[key] -= 1
        else:
            yield f"{rel}:{line}: comment not in the benign twin: {text[:80]!r}"


_HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?\s*>|<!--|-->|<!|<\?")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_HEADER = re.compile(r"^<!-- Generated by oagen [^ ]+ from (?P<name>.*)\. Do not edit\. -->$")


def _readme_facts(text: str) -> tuple[list[tuple[int, str]], int]:
    lines = text.split("\n")
    tags: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if (
            number == 1
            and _MD_HEADER.match(line)
            and "-->" not in line[:-3]
            and "<!--" not in line[4:]
        ):
            continue
        tags.extend((number, m.group()) for m in _HTML_TAG.finditer(line))
    fences = sum(1 for line in lines if _FENCE.match(line))
    return tags, fences


def _audit_readme(path: Path, rel: str, twin: Path | None) -> Iterator[str]:
    text = path.read_text(encoding="utf-8")
    yield from _bad_characters(text, rel)
    first = text.split("\n", 1)[0]
    if first.startswith("<!--") and (not _MD_HEADER.match(first) or first.count("-->") != 1):
        yield f"{rel}:1: the header comment is not one well-formed HTML comment"
    tags, fences = _readme_facts(text)
    if twin is None:
        for number, tag in tags:
            yield f"{rel}:{number}: raw HTML {tag[:40]!r}"
        if fences % 2:
            yield f"{rel}:1: unclosed code fence ({fences} fence lines)"
        return
    twin_tags, twin_fences = _readme_facts(twin.read_text(encoding="utf-8"))
    expected = Counter(tag for _, tag in twin_tags)
    for number, tag in tags:
        if expected[tag] > 0:
            expected[tag] -= 1
        else:
            yield f"{rel}:{number}: raw HTML not in the benign twin: {tag[:40]!r}"
    if fences != twin_fences:
        yield f"{rel}:1: {fences} code fence lines where the benign twin has {twin_fences}"


def _audit_manifest(path: Path, rel: str, pkg: Path) -> Iterator[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        yield f"{rel}:1: not valid JSON ({exc})"
        return
    if not isinstance(data, dict):
        yield f"{rel}:1: not a JSON object"
        return
    files = data.get("files", {})
    if not isinstance(files, dict):
        yield f"{rel}:1: `files` is not an object"
        return
    for name in files:
        parts = Path(name).parts
        if Path(name).is_absolute() or ".." in parts or "\\" in name or not parts:
            yield f"{rel}:1: file path leaves the package: {name!r}"
        elif not (pkg / name).is_file():
            yield f"{rel}:1: listed file is missing: {name!r}"


def _audit_other(path: Path, rel: str) -> Iterator[str]:
    if rel.endswith(".toml"):
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            yield f"{rel}:1: not valid TOML ({exc})"
    elif rel.endswith("py.typed") and path.read_bytes().strip():
        yield f"{rel}:1: py.typed is not empty"


# --- the package -----------------------------------------------------------------------


def _files(pkg: Path) -> list[str]:
    return sorted(p.relative_to(pkg).as_posix() for p in pkg.rglob("*") if not p.is_dir())


def _pairs(files: list[str], twin_files: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Files paired with the twin's: same path, else by sorted position in the same folder.

    Names derived from spec text (models, tags) differ between the twins, so the module
    `models/_x.py` of one is `models/_y.py` of the other.
    """
    problems: list[str] = []
    common = sorted(set(files) & set(twin_files))
    pairs = [(f, f) for f in common]
    rest: dict[str, tuple[list[str], list[str]]] = {}
    for f in sorted(set(files) - set(common)):
        rest.setdefault(str(Path(f).parent), ([], []))[0].append(f)
    for f in sorted(set(twin_files) - set(common)):
        rest.setdefault(str(Path(f).parent), ([], []))[1].append(f)
    for folder, (mine, theirs) in sorted(rest.items()):
        if len(mine) != len(theirs) or any(
            Path(a).suffix != Path(b).suffix for a, b in zip(mine, theirs, strict=False)
        ):
            problems.append(
                f"{folder}/:1: files {mine} do not correspond to the benign twin's {theirs}"
            )
            continue
        pairs.extend(zip(mine, theirs, strict=True))
    return pairs, problems


def audit_package(
    pkg: Path, benign: Path | None = None, *, markers: Iterable[str] = ()
) -> list[str]:
    """Findings about the generated package `pkg` (empty: clean).

    `benign`: the package generated from the benign twin of `pkg`'s spec; every module
    must then have the twin's AST shape and comments. `markers`: substrings of the
    hostile spec text that may appear in Python files only inside string literals.
    """
    pkg = Path(pkg)
    marks = tuple(markers)
    findings: list[str] = []
    files = _files(pkg)
    for rel in files:
        path = pkg / rel
        if path.is_symlink():
            findings.append(f"{rel}:1: is a symbolic link")
    if benign is None:
        pairs: list[tuple[str, str | None]] = [(f, None) for f in files]
    else:
        matched, problems = _pairs(files, _files(Path(benign)))
        findings.extend(problems)
        pairs = list(matched)
    for rel, twin_rel in pairs:
        path = pkg / rel
        twin = Path(benign) / twin_rel if benign is not None and twin_rel is not None else None
        if rel.endswith(".py"):
            findings.extend(_audit_python(path, rel, twin, marks))
        elif rel == "README.md":
            findings.extend(_audit_readme(path, rel, twin))
        elif rel == ".oagen-manifest.json":
            findings.extend(_audit_manifest(path, rel, pkg))
        else:
            findings.extend(_audit_other(path, rel))
    return findings
