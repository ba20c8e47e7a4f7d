"""The layout's promises: imports only go down (bot → actions/nlu → knowledge; actions and nlu not
each other), no module cycle, and bot/ keeps only entry points at its top level."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "actions", "nlu", "knowledge")
# Which packages each package may import besides itself.
MAY_IMPORT = {"bot": {"actions", "nlu", "knowledge"}, "actions": {"knowledge"}, "nlu": {"knowledge"}, "knowledge": set()}
BOT_ENTRY_POINTS = {"__init__.py", "run.py", "rasa_server.py", "action_server.py"}


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imports(path, module_level_only=False):
    """The project modules a file imports (every import, or only those run when it is imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if module_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def test_packages_import_only_downwards():
    wrong = []
    for module, path in modules():
        package = module.split(".")[0]
        for imported in imports(path):
            target = imported.split(".")[0]
            if target != package and target not in MAY_IMPORT[package]:
                wrong.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_itself_in_a_circle():
    known = dict(modules())
    graph = {module: {name for name in imports(path, module_level_only=True) if name in known} - {module}
             for module, path in known.items()}
    state, cycles = {}, []

    def visit(module, trail):
        state[module] = "open"
        for nxt in sorted(graph[module]):
            if state.get(nxt) == "open":
                cycles.append(" → ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else f"{module} → {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    # A package's __init__ that re-exports its modules is not a cycle of the code itself.
    cycles = [c for c in cycles if not all(part == c.split(" → ")[0] or part.startswith(c.split(" → ")[0] + ".")
                                          for part in c.split(" → "))]
    assert not cycles, "\n".join(cycles)


def test_bot_keeps_only_its_entry_points_at_the_top():
    top = {path.name for path in (ROOT / "bot").glob("*.py")}
    assert top == BOT_ENTRY_POINTS, f"move {sorted(top - BOT_ENTRY_POINTS)} into the folder of the process that runs it"
