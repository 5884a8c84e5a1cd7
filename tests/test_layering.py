"""The import rule of CONTRIBUTING.md, checked by walking every module's AST.

A module of ``infodiv`` imports only (a) its own subpackage, (b) the public ``__init__`` of a
*lower* layer, and (c) the shared modules ``infodiv._validation``, ``infodiv._sklearn``,
``infodiv._param_validation`` and ``infodiv.exceptions``. Never a ``_private`` module or name of
another subpackage, and never a higher layer, except through the documented lazy hooks below
(an import inside a function, listed in :data:`HOOKS`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The layers that compute results, which plots and reports sit on.
_RESULTS = {"core", "binning", "credit", "fairness", "causal", "sample_size"}

#: Which subpackages each subpackage (or top-level module) may import at module level.
LAYERS: dict[str, set[str]] = {
    "core": set(),
    "scale": {"core"},
    "binning": {"core"},
    "credit": {"core", "binning"},
    "fairness": {"core", "binning", "credit"},
    "causal": {"core"},
    "sample_size": {"core"},
    "plotting": _RESULTS,
    "reporting": _RESULTS | {"scale", "plotting"},
    "io": {"core"},
    "datasets": set(),
    "cli": _RESULTS | {"scale", "plotting", "reporting", "datasets", "io"},
    "__init__": _RESULTS | {"scale", "datasets"},
    "__main__": {"cli"},
}
SHARED = {"_validation", "_sklearn", "_param_validation", "exceptions"}

#: Documented upward hooks: (importing subpackage, imported subpackage), each only inside a
#: function. ``binning -> sample_size``: the ``max_bins="pn"`` rule; ``binning -> credit``: the
#: binner's ``woe_tables_``; ``* -> plotting``: the one-line ``.plot()`` delegates of results.
HOOKS: set[tuple[str, str]] = {
    ("binning", "sample_size"),
    ("binning", "credit"),
    ("credit", "plotting"),
    ("fairness", "plotting"),
    ("causal", "plotting"),
    ("sample_size", "plotting"),
}


def _unit(parts: tuple[str, ...]) -> str:
    """The layer of module ``infodiv.<parts>``: its subpackage, or the top-level module name."""
    if not parts:
        return "__init__"
    return parts[0].removesuffix(".py")


def violations(
    pkg_root: Path,
    pkg: str = "infodiv",
    layers: dict[str, set[str]] = LAYERS,
    hooks: set[tuple[str, str]] = HOOKS,
) -> list[str]:
    """Every import in ``pkg_root`` that breaks the rule, as ``"file:line: why"`` strings."""
    out = []
    for path in sorted(pkg_root.rglob("*.py")):
        rel = path.relative_to(pkg_root).with_suffix("").parts
        rel = rel[:-1] if rel[-1] == "__init__" and len(rel) > 1 else rel
        here = _unit(rel) if rel != ("__init__",) else "__init__"
        tree = ast.parse(path.read_text(), filename=str(path))
        lazy = {
            id(node)
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(fn)
        } | {  # imports for type annotations only
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for node in ast.walk(block)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [(node.module.split("."), [a.name for a in node.names])]
            elif isinstance(node, ast.Import):
                targets = [(a.name.split("."), []) for a in node.names]
            else:
                continue
            for mod, names in targets:
                if mod[0] != pkg or len(mod) == 1 and not names:
                    continue
                parts = tuple(mod[1:])
                if not parts:  # from infodiv import x: x is a top-level name or module
                    parts_list = [(n,) for n in names]
                    names = []
                else:
                    parts_list = [parts]
                for p in parts_list:
                    there = _unit(p)
                    where = f"{path.relative_to(pkg_root.parent)}:{node.lineno}"
                    if there in SHARED or there == here:
                        continue
                    if any(s.startswith("_") for s in p[1:]) or any(
                        n.startswith("_") for n in names
                    ):
                        out.append(f"{where}: private name of another subpackage: {'.'.join(mod)}")
                        continue
                    if there in layers.get(here, set()):
                        continue
                    if (here, there) in hooks and id(node) in lazy:
                        continue
                    out.append(f"{where}: {here} may not import {there} ({'.'.join(mod)})")
    return out


#: Violations being removed by the split of the binner (must end empty).
KNOWN: set[str] = set()


def test_package_follows_the_layering_rule():
    found = [v for v in violations(ROOT / "infodiv") if _strip_line(v) not in KNOWN]
    assert not found, "\n".join(found)


def _strip_line(v: str) -> str:
    where, why = v.split(": ", 1)
    return f"{where.rsplit(':', 1)[0]}: {why}"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        f = root / "infodiv" / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text)
    return root / "infodiv"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # a lower layer importing a higher one at module level
        ({"core/_a.py": "from infodiv.credit import woe_table\n"}, "core may not import credit"),
        # a private module of another subpackage, even of a lower layer
        ({"credit/_a.py": "from infodiv.core._bins import FeatureBins\n"}, "private name"),
        # a private name through the public __init__
        ({"credit/_a.py": "from infodiv.core import _helper\n"}, "private name"),
        # an upward import that is not a documented hook, even inside a function
        ({"core/_a.py": "def f():\n    import infodiv.fairness\n"}, "core may not import"),
        # a documented hook, but at module level
        ({"binning/_a.py": "from infodiv.sample_size import n_required\n"}, "may not import"),
    ],
)
def test_checker_catches_a_deliberate_violation(tmp_path, files, expected):
    found = violations(_write(tmp_path, files))
    assert len(found) == 1 and expected in found[0], found


def test_checker_accepts_allowed_imports(tmp_path):
    files = {
        "credit/_a.py": "from infodiv.core import CountTable\nfrom infodiv.credit._b import x\n",
        "credit/_b.py": "from infodiv._validation import check_alpha\nx = 1\n",
        "binning/_c.py": "def f():\n    from infodiv.sample_size import n_required\n",
    }
    assert violations(_write(tmp_path, files)) == []
