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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from infodiv.exceptions import InvalidParameterError

__all__ = ["Section", "Report", "figure_png", "format_table"]

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


#: Columns that hold counts (rows or sums of weights): integers when they are whole numbers.
COUNT_COLUMNS = frozenset(
    {
        "count",
        "goods",
        "bads",
        "rows",
        "n",
        "n1",
        "n2",
        "df",
        "missing",
        "distinct",
        "expected",
        "actual",
        "smoothed_cells",
    }
)


def _column_kind(name: Any, s: pd.Series) -> str:
    """``"pvalue"``, ``"count"``, ``"estimate"`` or ``"other"``: how a column is printed."""
    n = str(name).lower()
    if pd.api.types.is_bool_dtype(s.dtype):
        return "other"
    if re.search(r"(^|_)(pvalue|p_value)$", n):
        return "pvalue"
    if pd.api.types.is_integer_dtype(s.dtype):
        return "count"
    if pd.api.types.is_float_dtype(s.dtype):
        return "count" if n in COUNT_COLUMNS or n.startswith("n_") else "estimate"
    return "other"


def _whole(values: np.ndarray) -> bool:
    """Every finite value is a whole number small enough to print exactly as an integer."""
    v = values[np.isfinite(values)]
    return bool(np.all(v == np.round(v)) and np.all(np.abs(v) < 2.0**53))


def format_estimate(v: float) -> str:
    """4 significant digits, fixed notation between 1e-4 and 1e6 (scientific outside)."""
    if not np.isfinite(v):
        return ""
    if v == 0:
        return "0"
    mag = int(np.floor(np.log10(abs(v))))
    if -4 <= mag < 6:
        return f"{v:.{max(0, 3 - mag)}f}"
    return f"{v:.3e}"


def format_pvalue(v: float) -> str:
    """``<0.001`` below 0.001, else three decimals."""
    if not np.isfinite(v):
        return ""
    return "<0.001" if v < 0.001 else f"{v:.3f}"


#: Columns printed alike: all as integers, or all with two decimals when one holds a weighted
#: sum that is not a whole number (so that goods + bads = count reads true on the page).
SAME_FORMAT = ("count", "goods", "bads")


def _fmt_column(kind: str, s: pd.Series, markdown: bool, whole: bool | None = None) -> list[str]:
    if kind in ("pvalue", "count", "estimate"):
        v = s.to_numpy(dtype=float, na_value=np.nan)
        if kind == "pvalue":
            return [format_pvalue(x) for x in v]
        if kind == "count":
            # whole numbers as integers; sums of weights with two decimals throughout
            fmt = "{:.0f}" if (_whole(v) if whole is None else whole) else "{:.2f}"
            return [fmt.format(x) if np.isfinite(x) else "" for x in v]
        return [format_estimate(x) for x in v]
    return [_fmt_cell(x, markdown) for x in s.tolist()]


def _fmt_cell(v: Any, markdown: bool) -> str:
    if v is None or (isinstance(v, float | np.floating) and not np.isfinite(v)):
        return ""
    if isinstance(v, bool | np.bool_):
        return str(bool(v))
    if isinstance(v, float | np.floating):
        return format_estimate(float(v))
    text = str(v)
    return _md_escape(text) if markdown else text


def _md_escape(text: str) -> str:
    """A table cell for Markdown: ``|`` escaped, line breaks as spaces."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def _fmt_frame(df: pd.DataFrame, markdown: bool = False) -> pd.DataFrame:
    """The table as strings for people: counts as integers (or weighted sums with two
    decimals), estimates to 4 significant digits, p-values as ``<0.001`` below 0.001, text
    escaped for Markdown tables when ``markdown``."""
    same = [
        i
        for i, c in enumerate(df.columns)
        if str(c).lower() in SAME_FORMAT and _column_kind(c, df.iloc[:, i]) == "count"
    ]
    whole = all(_whole(df.iloc[:, i].to_numpy(dtype=float, na_value=np.nan)) for i in same)
    cols = {
        i: _fmt_column(
            _column_kind(c, df.iloc[:, i]), df.iloc[:, i], markdown, whole if i in same else None
        )
        for i, c in enumerate(df.columns)
    }
    out = pd.DataFrame(cols, index=df.index)
    out.columns = df.columns
    if markdown:
        out.index = pd.Index(
            [
                _fmt_cell(v, True) if not isinstance(v, tuple) else _md_escape(str(v))
                for v in df.index
            ],
            name=None if df.index.name is None else _md_escape(str(df.index.name)),
        )
        out.columns = [_md_escape(str(c)) for c in df.columns]
    return out


def format_table(df: pd.DataFrame, markdown: bool = False) -> pd.DataFrame:
    """A table as the report prints it: every cell a string for people.

    Counts (integer columns and columns such as ``count``, ``goods``, ``bads``, ``n_*``) as
    integers, or with two decimals when they are sums of weights (``count``, ``goods`` and
    ``bads`` alike); p-values (``pvalue`` columns) as ``<0.001`` below 0.001, else three
    decimals; other numbers with 4 significant digits; missing values empty.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    markdown : bool, default False
        Escape ``|`` (and fold line breaks) in text cells, the index and the column names, for
        a Markdown table.

    Returns
    -------
    pandas.DataFrame
        The same shape, index and columns, holding strings.
    """
    return _fmt_frame(df, markdown)


def _markdown_table(df: pd.DataFrame) -> str:
    """A Markdown table whose cells are exactly the formatted strings (numbers right-aligned)."""
    text = _fmt_frame(df, markdown=True)
    index_numeric = pd.api.types.is_numeric_dtype(df.index.dtype)
    align = ["right" if index_numeric else "left"] + [
        "right" if _column_kind(c, df.iloc[:, i]) != "other" else "left"
        for i, c in enumerate(df.columns)
    ]
    return text.to_markdown(disable_numparse=True, colalign=align)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    frame = (
        df.reset_index()
        if df.index.name is not None or not isinstance(df.index, pd.RangeIndex)
        else df
    )
    frame = frame.astype(object)
    for i, c in enumerate(frame.columns):  # whole counts as JSON integers
        col = df[c] if c in df.columns and isinstance(df[c], pd.Series) else None
        if col is not None and _column_kind(c, col) == "count":
            v = col.to_numpy(dtype=float, na_value=np.nan)
            if _whole(v):
                frame.iloc[:, i] = [int(x) if np.isfinite(x) else None for x in v]
    return [_clean(r) for r in frame.to_dict(orient="records")]


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
                lines += [f"### {name}", "", _markdown_table(t), ""]
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
            raise InvalidParameterError(f"format must be among {FORMATS}; got {unknown}")
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
