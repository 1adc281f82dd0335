"""The layers are one-way: no import cycle among mediakit's modules.

Every module is parsed with ``ast`` and every import counts, also those inside functions (a
function-level import that closes a cycle hides the cycle until the function runs). Relative and
absolute ``mediakit`` imports are resolved to modules, ``from mediakit.x import y`` to the
submodule ``mediakit.x.y`` when ``y`` is one, and ``importlib.import_module("mediakit...")``
strings (the lazy ``_PUBLIC`` table of ``mediakit/__init__.py``) count as edges from the module
that holds them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import mediakit

PACKAGE = Path(mediakit.__file__).resolve().parent


def module_names() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("mediakit", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _lazy_targets(tree: ast.AST) -> list[str]:
    """Module names given as strings to ``importlib.import_module`` or in a ``_PUBLIC`` table."""
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and (getattr(node.func, "attr", None) == "import_module"
                     or getattr(node.func, "id", None) == "import_module")):
            found.append(node.args[0].value)
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        if (any(getattr(t, "id", None) == "_PUBLIC" for t in targets)
                and isinstance(node.value, ast.Dict)):
            found += [v.value for v in node.value.values
                      if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return found


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The mediakit modules ``name`` imports anywhere in its file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            edges.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                edges.add(sub if sub in modules else source)
    edges.update(_lazy_targets(tree))
    return {e for e in edges if e in modules and e != name}


def import_graph() -> dict[str, set[str]]:
    modules = module_names()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            components.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return components


def test_the_graph_sees_function_level_submodule_and_lazy_imports():
    graph = import_graph()
    assert len(graph) > 40
    assert "mediakit._validation" in graph["mediakit.compare.groups"]  # top level
    assert "mediakit.compare._resample" in graph["mediakit.compare.groups"]  # from pkg import mod
    assert "mediakit.plots.coverage" in graph["mediakit.plots.overview"]  # inside a function
    assert "mediakit.compare.groups" in graph["mediakit"]  # the lazy _PUBLIC table
    assert "mediakit.plots.terms" in graph["mediakit"]  # importlib.import_module(...) of a plot


def test_relative_imports_resolve(tmp_path):
    path = tmp_path / "mod.py"
    path.write_text("from . import sibling\nfrom ..top import name\n\n"
                    "def f():\n    from .sibling import thing\n")
    modules = {"mediakit.pkg.mod": path, "mediakit.pkg.sibling": path, "mediakit.top": path}
    assert imports_of("mediakit.pkg.mod", path, modules) == {"mediakit.pkg.sibling",
                                                             "mediakit.top"}


def test_a_loop_is_one_component():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert sorted(strongly_connected(graph)) == [["a", "b", "c"], ["d"]]


def test_no_import_cycle_among_mediakit_modules():
    cycles = [c for c in strongly_connected(import_graph()) if len(c) > 1]
    assert not cycles, f"import cycles (modules importing each other): {cycles}"
