"""The import graph of app/, strategies/ and landscapes/: layers whose arrows point one way.

Read with ``ast`` from the source files (nothing is imported), so a failure names the
modules and lines involved:

- no cycle among the modules;
- the engine (strategies/, landscapes/) never imports the app;
- every import stands at a module's top level, never inside a function, method or class
  (a function-level import is how a cycle hides);
- nothing imports a callbacks module but the app factory (``app/__init__.py``), which
  registers them;
- app/ is in layers (``APP_LAYERS``) and every import points to the same layer or a lower one;
- a module loaded by name (``importlib.import_module("…")``, for optional packages loaded
  only when asked for) is listed in ``LAZY_IMPORTS`` with its reason, and counts as an
  import for the cycle and layer checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The checkout's folders and the names they are installed under (pyproject.toml).
PACKAGES = {
    "app": "hpo_race.app",
    "strategies": "hpo_race.strategies",
    "landscapes": "hpo_race.landscapes",
}
ENGINE = ("hpo_race.strategies", "hpo_race.landscapes")
#: app/'s layers, lowest first: a module imports only from its own layer or lower ones.
APP_LAYERS = (
    # leaves: ids, colours, request checks, words, caching, packing, plain browser data
    {"ids", "theme", "race_request", "narration", "lessons", "cache", "transport", "views"}
    | {"guard"}
    | {"static_files", "bundles", "hall", "result_store", "shared_cache", "heavy"}
    | {"redis_hall", "model_frames"},
    # services: the cached engine calls and their cost estimates
    {"landscape_views", "model_data", "lesson_data", "many_data", "work_limits"},
    # pure figure builders and layout pieces
    {
        "figures",
        "figures_many",
        "controls",
        "layout",
        "guide",
        "bayes_panel",
        "many_panel",
        "classroom",
        "dialogs",
        "draw",
        "racers",
        "export_files",
        "replay",
        "replay_figure",
        "replay_animation",
        "security",
    },
    # one callbacks module per feature
    {
        "race_callbacks",
        "lesson_callbacks",
        "draw_callbacks",
        "racer_callbacks",
        "model_callbacks",
        "many_callbacks",
        "classroom_callbacks",
    },
    # the entry points: the app factory, the command line, the queue worker (Redis mode)
    {"__init__", "cli", "hall_worker"},
)
#: Imports allowed inside a function: (module, imported name) -> why. Keep it empty.
ALLOWED_LOCAL: dict[tuple[str, str], str] = {}
#: Modules loaded by name (``importlib.import_module``): (importer, module) -> why.
LAZY_IMPORTS: dict[tuple[str, str], str] = {
    ("hpo_race.app.result_store", "hpo_race.app.redis_hall"): (
        "redis and celery are optional (the [hall] extra): loaded only when "
        "HPO_RACE_REDIS_URL is set, so the embedded default never imports them"
    ),
}


def module_files() -> dict[str, Path]:
    """Every module's dotted name -> its file."""
    found = {}
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


MODULES = module_files()


def _package_of(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def imported_modules(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules of ours an import statement loads (``from p import m``: p.m if a module)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = _package_of(module)
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        names = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
            for alias in node.names
        ]
    return [name for name in names if name in MODULES]


class _Imports(ast.NodeVisitor):
    """Collects (line, imported module, inside a function or class?) of one file."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.depth = 0
        self.found: list[tuple[int, str, bool]] = []
        self.local: list[tuple[int, str]] = []
        #: (line, module name or None when not a literal) of ``importlib.import_module`` calls
        self.by_name: list[tuple[int, str | None]] = []

    def _nested(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = _nested

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if self.depth:
            text = ast.unparse(node)
            self.local.append((node.lineno, text))
        for name in imported_modules(self.module, node):
            self.found.append((node.lineno, name, bool(self.depth)))

    visit_Import = visit_ImportFrom = _import

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "import_module"
            and isinstance(func.value, ast.Name)
            and func.value.id == "importlib"
        ):
            arg = node.args[0] if node.args else None
            name = (
                arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            )
            self.by_name.append((node.lineno, name))
            if name in MODULES:
                self.found.append((node.lineno, name, False))  # an edge like any import
        self.generic_visit(node)


def scan() -> dict[str, _Imports]:
    out = {}
    for module, path in MODULES.items():
        visitor = _Imports(module)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        out[module] = visitor
    return out


SCAN = scan()


def graph() -> dict[str, set[str]]:
    """module -> the modules of ours it imports (its package's ``__init__`` counts too)."""
    edges: dict[str, set[str]] = {module: set() for module in MODULES}
    for module, visitor in SCAN.items():
        edges[module] |= {name for _, name, _ in visitor.found if name != module}
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path [a, b, …, a], or None (depth-first search, three colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_every_folder_has_modules() -> None:
    for package in PACKAGES.values():
        assert package in MODULES and len([m for m in MODULES if m.startswith(package)]) > 3


def test_no_import_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_one() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(edges) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_engine_never_imports_the_app() -> None:
    bad = [
        f"{MODULES[module].relative_to(ROOT)}:{line} imports {name}"
        for module, visitor in SCAN.items()
        if module.startswith(ENGINE)
        for line, name, _ in visitor.found
        if name.startswith(PACKAGES["app"])
    ]
    assert not bad, "\n".join(bad)


def test_every_import_is_at_the_top_of_its_module() -> None:
    bad = [
        f"{MODULES[module].relative_to(ROOT)}:{line}: {text}"
        for module, visitor in SCAN.items()
        for line, text in visitor.local
        if not any(module == allowed and name in text for (allowed, name) in ALLOWED_LOCAL)
    ]
    assert not bad, "imports inside a function or class:\n" + "\n".join(bad)


def test_every_module_loaded_by_name_is_listed_with_its_reason() -> None:
    bad = [
        f"{MODULES[module].relative_to(ROOT)}:{line} loads {name or 'a computed name'}"
        for module, visitor in SCAN.items()
        for line, name in visitor.by_name
        if (module, name) not in LAZY_IMPORTS
    ]
    assert not bad, "list these in LAZY_IMPORTS, with why:\n" + "\n".join(bad)
    seen = {(module, name) for module, visitor in SCAN.items() for _, name in visitor.by_name}
    assert set(LAZY_IMPORTS) <= seen, "LAZY_IMPORTS lists a load that is gone"


def test_a_load_by_name_is_seen() -> None:
    visitor = _Imports("hpo_race.app.x")
    visitor.visit(ast.parse("import importlib\ndef f(n):\n    importlib.import_module(n)\n"))
    visitor.visit(ast.parse("def g():\n    importlib.import_module('hpo_race.app.ids')\n"))
    assert visitor.by_name == [(3, None), (2, "hpo_race.app.ids")]
    assert visitor.found == [(2, "hpo_race.app.ids", False)]


def test_nothing_imports_a_callbacks_module_but_the_app_factory() -> None:
    factory = PACKAGES["app"]
    bad = [
        f"{MODULES[module].relative_to(ROOT)}:{line} imports {name}"
        for module, visitor in SCAN.items()
        if module != factory
        for line, name, _ in visitor.found
        if name.rpartition(".")[2].endswith("callbacks")
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import os\ndef f():\n    import json\n", [(3, "import json")]),
        ("class A:\n    def m(self):\n        from x import y\n", [(3, "from x import y")]),
        ("import os\n", []),
    ],
)
def test_local_imports_are_seen(source: str, expected: list[tuple[int, str]]) -> None:
    visitor = _Imports("hpo_race.app")
    visitor.visit(ast.parse(source))
    assert visitor.local == expected


def app_layer(module: str) -> int:
    """The layer of an app module (``APP_LAYERS``); a module in none fails the test below."""
    short = module.removeprefix(PACKAGES["app"]).removeprefix(".") or "__init__"
    return next((i for i, names in enumerate(APP_LAYERS) if short in names), -1)


def test_every_app_module_has_a_layer() -> None:
    app = [m for m in MODULES if m == PACKAGES["app"] or m.startswith(PACKAGES["app"] + ".")]
    missing = [MODULES[m].name for m in app if app_layer(m) < 0]
    assert not missing, f"give these app/ modules a layer in APP_LAYERS: {missing}"


def test_app_imports_point_down_the_layers() -> None:
    bad = [
        f"{MODULES[module].relative_to(ROOT)}:{line} imports {name} (layer {app_layer(name)} "
        f"above {app_layer(module)})"
        for module, visitor in SCAN.items()
        if module.startswith(PACKAGES["app"])
        for line, name, _ in visitor.found
        if name.startswith(PACKAGES["app"] + ".") and app_layer(name) > app_layer(module)
    ]
    assert not bad, "\n".join(bad)
