"""Writing a report to HTML (self-contained), Markdown and JSON.

A :class:`Report` is a list of :class:`Section` objects, each with text, tables (DataFrames)
and figures (matplotlib). The HTML embeds every figure as a base64 PNG and uses no external
asset; the Markdown writes figures next to it; the JSON holds every number of every table.
"""

from __future__ import annotations

import base64
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Section", "Report", "figure_png"]

FORMATS = ("html", "md", "json")


def figure_png(fig: Any, dpi: int = 110) -> bytes:
    """A matplotlib Figure as PNG bytes (the figure is closed afterwards)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


@dataclass
class Section:
    """One part of a report: a title, paragraphs, named tables and named figures (PNG bytes)."""

    key: str
    title: str
    text: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, bytes] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


def _clean(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    frame = (
        df.reset_index()
        if df.index.name is not None or not isinstance(df.index, pd.RangeIndex)
        else df
    )
    return [_clean(r) for r in frame.astype(object).to_dict(orient="records")]


def _fmt_frame(df: pd.DataFrame) -> pd.DataFrame:
    def fmt(v: Any) -> Any:
        if isinstance(v, float | np.floating):
            return "" if not np.isfinite(v) else f"{v:.4g}"
        return v

    return df.map(fmt)


HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body { font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1100px; color: #222; line-height: 1.45; }
h1 { border-bottom: 2px solid #345; } h2 { color: #345; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.86em; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; }
th { background: #eef2f6; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; margin: 0.5em 0; } .meta { color: #666; font-size: 0.9em; }
nav a { margin-right: 1em; }
</style></head><body>
<h1>{{ title }}</h1>
<p class="meta">{{ meta }}</p>
<nav>{% for s in sections %}<a href="#{{ s.key }}">{{ s.title }}</a>{% endfor %}</nav>
{% for s in sections %}
<h2 id="{{ s.key }}">{{ s.title }}</h2>
{% for p in s.text %}<p>{{ p }}</p>{% endfor %}
{% for name, t in s.tables %}<h3>{{ name }}</h3>{{ t }}{% endfor %}
{% for name, img in s.figures %}<figure><img alt="{{ name }}" src="data:image/png;base64,{{ img }}">
<figcaption>{{ name }}</figcaption></figure>{% endfor %}
{% endfor %}
</body></html>
"""


@dataclass
class Report:
    """A titled list of sections with writers for HTML, Markdown and JSON."""

    title: str
    meta: dict[str, Any] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)

    def add(self, section: Section) -> Section:
        self.sections.append(section)
        return section

    def to_dict(self) -> dict[str, Any]:
        """Every number of the report, for machines."""
        return _clean(
            {
                "title": self.title,
                "meta": self.meta,
                "sections": {
                    s.key: {
                        "title": s.title,
                        "text": s.text,
                        "tables": {k: _records(v) for k, v in s.tables.items()},
                        "figures": list(s.figures),
                        **s.data,
                    }
                    for s in self.sections
                },
            }
        )

    def _meta_line(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.meta.items())

    def to_html(self) -> str:
        """Self-contained HTML: inline CSS, figures embedded as base64 PNG."""
        import jinja2

        env = jinja2.Environment(autoescape=True)
        template = env.from_string(HTML_TEMPLATE)
        sections = [
            {
                "key": s.key,
                "title": s.title,
                "text": s.text,
                "tables": [
                    (name, jinja2.utils.markupsafe.Markup(_fmt_frame(t).to_html(border=0)))
                    for name, t in s.tables.items()
                ],
                "figures": [
                    (name, base64.b64encode(png).decode("ascii")) for name, png in s.figures.items()
                ],
            }
            for s in self.sections
        ]
        return template.render(title=self.title, meta=self._meta_line(), sections=sections)

    def to_markdown(self, figure_dir: str | None = None) -> tuple[str, dict[str, bytes]]:
        """Markdown text and the figure files it links to (relative paths -> PNG bytes)."""
        lines = [f"# {self.title}", "", self._meta_line(), ""]
        files: dict[str, bytes] = {}
        for s in self.sections:
            lines += [f"## {s.title}", ""]
            for p in s.text:
                lines += [p, ""]
            for name, t in s.tables.items():
                lines += [f"### {name}", "", _fmt_frame(t).to_markdown(), ""]
            for name, png in s.figures.items():
                slug = "".join(c if c.isalnum() else "_" for c in f"{s.key}_{name}")
                path = f"{figure_dir or 'figures'}/{slug}.png"
                files[path] = png
                lines += [f"![{name}]({path})", ""]
        return "\n".join(lines), files

    def write(self, out_dir: str | Path, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
        """Write the report into ``out_dir`` (created); returns the paths written by format."""
        unknown = [f for f in formats if f not in FORMATS]
        if unknown:
            raise ValueError(f"format must be among {FORMATS}; got {unknown}")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        if "html" in formats:
            written["html"] = out / "report.html"
            written["html"].write_text(self.to_html(), encoding="utf-8")
        if "md" in formats:
            text, files = self.to_markdown()
            for rel, png in files.items():
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                (out / rel).write_bytes(png)
            written["md"] = out / "report.md"
            written["md"].write_text(text, encoding="utf-8")
        if "json" in formats:
            written["json"] = out / "report.json"
            written["json"].write_text(json.dumps(self.to_dict(), indent=1), encoding="utf-8")
        return written
