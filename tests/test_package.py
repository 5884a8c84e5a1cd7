"""Package metadata: the version comes from the installed distribution; the wheel is typed."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import infodiv

ROOT = Path(__file__).resolve().parents[1]


def test_version_is_the_installed_distribution_version():
    assert infodiv.__version__ == importlib.metadata.version("infodiv")


def test_py_typed_ships_in_the_wheel():
    """PEP 561 marker: present in the package, and hatch's wheel target does not exclude it."""
    assert (ROOT / "infodiv" / "py.typed").is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert "infodiv" in wheel["packages"]
    excluded = wheel.get("exclude", []) + config["tool"]["hatch"]["build"].get("exclude", [])
    assert not any("py.typed" in pattern or pattern.endswith("*") for pattern in excluded)
    assert "py.typed" not in (ROOT / ".gitignore").read_text()  # hatch honours .gitignore
