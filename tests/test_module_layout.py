"""The app's layout rules (STYLE.md), checked on the source: modules stay small, imports run
one way, and no module reaches into another's private names."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "checklists"
MAX_LINES = 400
# Imports that must run inside a function, and why.
FUNCTION_IMPORTS_ALLOWED = {
    # Django loads the app config before the models; ready() is where the app may import them.
    ("checklists.apps", "ready"),
}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(APP.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(APP.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str, tree: ast.AST) -> list[tuple[ast.AST, str, list[str], str | None]]:
    """Every import of a checklists module: (node, target module, imported names, enclosing function)."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.ImportFrom):
                target = _resolve(module, child)
                if target.startswith("checklists"):
                    found.append((child, target, [alias.name for alias in child.names], function))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("checklists"):
                        found.append((child, alias.name, [], function))
            visit(child, inner)

    visit(tree, None)
    return found


def _edges(module: str, target: str, names: list[str]) -> set[str]:
    """The modules an import makes ``module`` depend on (``from . import x`` may name a submodule)."""
    submodules = {f"{target}.{name}" for name in names if f"{target}.{name}" in MODULES}
    edges = set(submodules)
    # ``from . import x`` with x a submodule needs only x; any other name needs the module itself.
    if target in MODULES and (not names or len(submodules) < len(names)):
        edges.add(target)
    edges.discard(module)
    return edges


TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _graph() -> dict[str, set[str]]:
    graph = {name: set() for name in MODULES}
    for module, tree in TREES.items():
        for _node, target, names, function in _imports(module, tree):
            if function is None:
                graph[module] |= _edges(module, target, names)
    return graph


def test_the_layout_check_sees_the_app():
    assert {"checklists.models", "checklists.services", "checklists.selectors", "checklists.views"} <= set(MODULES)
    assert _graph()["checklists.views.board"], "the import graph found no imports: the check itself is broken"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_holds_more_than_one_concern(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by concern (STYLE.md)"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """The first import cycle in ``graph``, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for neighbour in sorted(graph[node]):
            if state.get(neighbour) == "open":
                return [*path[path.index(neighbour) :], neighbour]
            if neighbour not in state and (found := visit(neighbour)):
                return found
        path.pop()
        state[node] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_cycle_check_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"pkg": {"pkg.x"}, "pkg.x": {"pkg"}}) == ["pkg", "pkg.x", "pkg"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_imports_between_modules_run_one_way():
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_import_checks_see_hidden_and_private_imports():
    tree = ast.parse("def f():\n    from .models import Ward\nfrom .views.access import _secret\n")
    found = _imports("checklists.shifts", tree)
    assert [(target, names, function) for _node, target, names, function in found] == [
        ("checklists.models", ["Ward"], "f"),
        ("checklists.views.access", ["_secret"], None),
    ]


def test_no_import_hides_inside_a_function():
    hidden = [
        f"{module}:{node.lineno} in {function}()"
        for module, tree in TREES.items()
        for node, _target, _names, function in _imports(module, tree)
        if function is not None and (module, function) not in FUNCTION_IMPORTS_ALLOWED
    ]
    assert not hidden, "imports inside functions (a cycle dodged?): " + ", ".join(hidden)


def test_no_module_imports_another_modules_private_names():
    private = [
        f"{module}:{node.lineno} imports {name} from {target}"
        for module, tree in TREES.items()
        for node, target, names, _function in _imports(module, tree)
        for name in names
        if name.startswith("_") and target != module
    ]
    assert not private, ", ".join(private)
