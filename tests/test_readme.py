"""README's "A taste" runs unchanged against the installed package."""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


def _taste() -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split("## A taste", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert block, "README has no python block under 'A taste'"
    return block.group(1)


def test_readme_taste_runs():
    ns: dict = {}
    exec(compile(_taste(), "README.md:A taste", "exec"), ns)  # noqa: S102 - our own README
    t = ns["t"]
    low, high = t.iv.conf_int(0.01)
    assert 0 <= low <= t.iv.estimate <= high
