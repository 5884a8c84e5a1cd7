"""Writing a report to HTML (self-contained), Markdown and JSON.

A :class:`Report` is an executive summary (one table of every test, with a green/amber/red
status), a list of :class:`Section` objects (text, captioned tables, captioned figures, free
data) and the run metadata. Sections are data: a part of the workflow adds its own section
(``report.add(Section(...))``) and every writer shows it, with no change here.

* HTML: one file with no external asset (inline CSS, figures as base64 PNG); wide tables
  scroll inside their own box, long tables listed in ``Section.folded`` are folded in
  ``<details>``; intervals print as ``[a, b]``.
* Markdown: the same text and tables; figures are written next to it.
* JSON: every number, for machines, in the versioned layout of
  ``infodiv/reporting/schemas/report.schema.json`` (``SCHEMA_VERSION``): snake_case keys,
  tables as records with typed columns.
"""

from __future__ import annotations

import base64
import html
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
from infodiv.reporting._format import (
    format_count,
    format_estimate,
    format_interval,
    format_pvalue,
)
from infodiv.reporting._meta import run_metadata

__all__ = ["SCHEMA_VERSION", "Section", "Report", "figure_png", "format_table", "snake"]

FORMATS = ("html", "md", "json")

#: Version of the JSON layout (semantic: a major change breaks readers).
SCHEMA_VERSION = "1.0.0"

#: Columns kept in the JSON only (the HTML and Markdown show the bin label instead).
JSON_ONLY_COLUMNS = frozenset({"bin_lower", "bin_upper"})


def figure_png(fig: Any, dpi: int = 100) -> bytes:
    """A matplotlib Figure as PNG bytes (the figure is closed afterwards).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (from :mod:`infodiv.plotting`).
    dpi : int, default 100
        Resolution.

    Returns
    -------
    bytes
        The PNG file.
    """
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def snake(name: Any) -> str:
    """``name`` as a snake_case key: ``"PSI: holdout vs development"`` -> ``"psi_holdout_vs_development"``.

    Parameters
    ----------
    name : object
        A title or column name.

    Returns
    -------
    str
        Lower-case letters, digits and underscores, starting with a letter.

    Examples
    --------
    >>> snake("WoE: LIMIT_BAL"), snake("event rate"), snake("1st")
    ('woe_limit_bal', 'event_rate', 'x1st')
    """
    s = re.sub(r"[^0-9a-z]+", "_", str(name).lower()).strip("_")
    if not s:
        return "x"
    return s if s[0].isalpha() else "x" + s


@dataclass
class Section:
    """One part of a report: a title, paragraphs, captioned tables and figures, free data.

    Parameters
    ----------
    key : str
        Short snake_case key (the HTML anchor and the JSON key).
    title : str
        Heading.
    text : list of str
        Paragraphs.
    tables : dict of str to DataFrame
        Tables by title.
    figures : dict of str to bytes
        PNG images by title.
    data : dict
        Free numbers for the JSON (snake_case keys).
    captions : dict of str to str
        One-line caption of a table or figure, by its title.
    folded : set of str
        Titles of the tables folded in ``<details>`` in the HTML (long per-feature tables).
    """

    key: str
    title: str
    text: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, bytes] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    captions: dict[str, str] = field(default_factory=dict)
    folded: set[str] = field(default_factory=set)

    def table(
        self, title: str, df: pd.DataFrame, caption: str, folded: bool = False
    ) -> pd.DataFrame:
        """Add a table with its one-line caption; returns the table.

        Parameters
        ----------
        title : str
            The table's title.
        df : DataFrame
            The table.
        caption : str
            What the table shows, in one line.
        folded : bool, default False
            Fold it in ``<details>`` in the HTML.

        Returns
        -------
        DataFrame
            ``df``.
        """
        self.tables[title] = df
        self.captions[title] = caption
        if folded:
            self.folded.add(title)
        return df

    def figure(self, title: str, png: bytes, caption: str) -> None:
        """Add a figure (PNG bytes, e.g. from :func:`figure_png`) with its one-line caption.

        Parameters
        ----------
        title : str
            The figure's title.
        png : bytes
            The image.
        caption : str
            What the figure shows, in one line.
        """
        self.figures[title] = png
        self.captions[title] = caption


def _clean(v: Any) -> Any:
    """JSON-ready values: numpy scalars as Python, non-finite floats as null."""
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set | frozenset):
        return [_clean(x) for x in v]
    if isinstance(v, np.ndarray):
        return [_clean(x) for x in v.tolist()]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if v is pd.NA or v is pd.NaT:
        return None
    return v


def _snake_keys(v: Any) -> Any:
    """A dictionary with its own keys made snake_case (keys below, e.g. feature names, kept)."""
    if isinstance(v, dict):
        return {snake(k): x for k, x in v.items()}
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
        "defaults",
        "observed_defaults",
        "expected_defaults",
    }
)


def _column_kind(name: Any, s: pd.Series) -> str:
    """``"pvalue"``, ``"count"``, ``"estimate"``, ``"interval"`` or ``"other"``."""
    n = str(name).lower()
    if pd.api.types.is_bool_dtype(s.dtype):
        return "other"
    if re.search(r"(^|_)(pvalue|p_value)(_|$)", n) and pd.api.types.is_numeric_dtype(s.dtype):
        return "pvalue"
    if pd.api.types.is_integer_dtype(s.dtype):
        return "count"
    if pd.api.types.is_float_dtype(s.dtype):
        return "count" if n in COUNT_COLUMNS or n.startswith("n_") else "estimate"
    if s.dtype == object and len(s) and all(isinstance(v, _Interval) for v in s):
        return "interval"
    return "other"


def _whole(values: np.ndarray) -> bool:
    """Every finite value is a whole number small enough to print exactly as an integer."""
    v = values[np.isfinite(values)]
    return bool(np.all(v == np.round(v)) and np.all(np.abs(v) < 2.0**53))


@dataclass(frozen=True)
class _Interval:
    low: Any
    high: Any

    def __str__(self) -> str:
        return format_interval(self.low, self.high)


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
            dec = 0 if (_whole(v) if whole is None else whole) else 2
            return [format_count(x, dec) for x in v]
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


def _join_intervals(df: pd.DataFrame) -> pd.DataFrame:
    """Pairs ``ci_low``/``ci_high`` (or ``X_ci_low``/``X_ci_high``) as one ``[a, b]`` column."""
    cols = list(df.columns)
    names = [str(c) for c in cols]
    out: dict[Any, Any] = {}
    skip: set[str] = set()
    for c, name in zip(cols, names, strict=True):
        if name in skip or name in JSON_ONLY_COLUMNS:
            continue
        m = re.fullmatch(r"(.*?)(_?)(ci_low|lower_ci|ci_lower)", name)
        if m is not None:
            partner = {"ci_low": "ci_high", "lower_ci": "upper_ci", "ci_lower": "ci_upper"}
            hi = m.group(1) + m.group(2) + partner[m.group(3)]
            if hi in names:
                skip.add(hi)
                lo_v, hi_v = df[c].tolist(), df[cols[names.index(hi)]].tolist()
                label = f"{m.group(1)}{m.group(2)}ci" if m.group(1) else "ci"
                out[label] = pd.Series(
                    [_Interval(a, b) for a, b in zip(lo_v, hi_v, strict=True)],
                    index=df.index,
                    dtype=object,
                )
                continue
        out[c] = df[c]
    return pd.DataFrame(out, index=df.index)


def _fmt_frame(df: pd.DataFrame, markdown: bool = False) -> pd.DataFrame:
    """The table as strings for people (see :func:`format_table`)."""
    df = _join_intervals(df)
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
    integers with thousands separators, or with two decimals when they are sums of weights
    (``count``, ``goods`` and ``bads`` alike); p-values (``pvalue`` columns) as ``<0.001``
    below 0.001, else three decimals; other numbers with 4 significant digits; interval
    columns (``ci_low`` with ``ci_high``, ``X_ci_low`` with ``X_ci_high``) joined as one
    ``[a, b]`` column; missing values empty (see :mod:`infodiv.reporting._format`).

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
        The same rows and index, holding strings (interval pairs joined).
    """
    return _fmt_frame(df, markdown)


def _markdown_table(df: pd.DataFrame) -> str:
    """A Markdown table whose cells are exactly the formatted strings (numbers right-aligned)."""
    joined = _join_intervals(df)
    text = _fmt_frame(df, markdown=True)
    index_numeric = pd.api.types.is_numeric_dtype(df.index.dtype)
    align = ["right" if index_numeric else "left"] + [
        "right" if _column_kind(c, joined.iloc[:, i]) != "other" else "left"
        for i, c in enumerate(joined.columns)
    ]
    if isinstance(df.index, pd.RangeIndex) and df.index.name is None:
        return text.to_markdown(disable_numparse=True, colalign=align[1:], index=False)
    return text.to_markdown(disable_numparse=True, colalign=align)


def _json_type(kind: str, s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s.dtype):
        return "boolean"
    if kind == "count":
        return "integer" if _whole(s.to_numpy(dtype=float, na_value=np.nan)) else "number"
    if kind in ("pvalue", "estimate") or pd.api.types.is_numeric_dtype(s.dtype):
        return "number"
    return "string"


def table_json(df: pd.DataFrame, title: str = "", caption: str = "") -> dict[str, Any]:
    """A table for the JSON: ``{"title", "caption", "columns": [{"name", "type"}], "records"}``.

    The index is a column (``index`` when unnamed, unless a plain range); column names are
    snake_case; each column has one type (``integer``, ``number``, ``string``, ``boolean``),
    missing values are null.

    Parameters
    ----------
    df : DataFrame
        The table.
    title : str, default ""
        Its title.
    caption : str, default ""
        Its one-line caption.

    Returns
    -------
    dict
        ``title``, ``caption``, ``columns`` and ``records``.
    """
    frame = (
        df.reset_index()
        if df.index.name is not None or not isinstance(df.index, pd.RangeIndex)
        else df.copy()
    )
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = ["_".join(str(x) for x in c if str(x)) for c in frame.columns]
    names: list[str] = []
    for c in frame.columns:
        n = snake(c)
        while n in names:
            n += "_"
        names.append(n)
    columns, values = [], []
    for i, n in enumerate(names):
        s = frame.iloc[:, i]
        kind = _column_kind(n, s)
        typ = _json_type(kind, s)
        col: list[Any]
        if typ == "integer":
            v = s.to_numpy(dtype=float, na_value=np.nan)
            col = [int(x) if np.isfinite(x) else None for x in v]
        elif typ == "number":
            v = s.to_numpy(dtype=float, na_value=np.nan)
            col = [float(x) if np.isfinite(x) else None for x in v]
        elif typ == "boolean":
            col = [None if pd.isna(x) else bool(x) for x in s.tolist()]
        else:
            col = [
                None if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)
                for x in s.tolist()
            ]
        columns.append({"name": n, "type": typ})
        values.append(col)
    records = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
    return {"title": title, "caption": caption, "columns": columns, "records": records}


STATUS_COLOURS = {"green": "#1e7b34", "amber": "#b26a00", "red": "#b3261e"}

CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto;
       padding: 1.2em 1.5em; max-width: 1200px; color: #222; line-height: 1.45;
       box-sizing: border-box; }
h1 { border-bottom: 2px solid #345; font-size: 1.6em; }
h2 { color: #345; margin-top: 2em; border-bottom: 1px solid #ccd; }
h3 { margin: 1.2em 0 0.2em; font-size: 1.02em; }
p.caption, figcaption { color: #555; font-size: 0.88em; margin: 0.1em 0 0.3em; }
.scroll { overflow-x: auto; max-width: 100%; margin: 0.2em 0 1em; }
table { border-collapse: collapse; font-size: 0.84em; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; white-space: nowrap; }
td.text { text-align: left; white-space: normal; min-width: 12em; max-width: 32em; }
td.left, th.left { text-align: left; }
th { background: #eef2f6; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; height: auto; } figure { margin: 0.8em 0; }
.meta { color: #555; font-size: 0.9em; }
nav { margin: 0.6em 0 1em; } nav a { margin-right: 1em; white-space: nowrap; }
details { margin: 0.3em 0; } summary { cursor: pointer; font-weight: 600; }
.status { font-weight: 700; padding: 1px 6px; border-radius: 3px; color: #fff; }
.status-green { background: #1e7b34; } .status-amber { background: #b26a00; }
.status-red { background: #b3261e; } .status-info { background: #667; }
.counts span { margin-right: 1em; }
"""


def _html_table(df: pd.DataFrame) -> str:
    """A table as HTML, formatted for people; text columns wrap, status cells are badges."""
    text = _fmt_frame(df)
    joined = _join_intervals(df)
    kinds = [_column_kind(c, joined.iloc[:, i]) for i, c in enumerate(joined.columns)]
    wrap = [
        k == "other" and str(c) in ("null_hypothesis", "detail", "reason", "note", "ci_note")
        for k, c in zip(kinds, joined.columns, strict=True)
    ]
    left = [k == "other" for k in kinds]
    index_name = df.index.name if df.index.name is not None else ""
    show_index = df.index.name is not None or not isinstance(df.index, pd.RangeIndex)
    head = ([f"<th>{html.escape(str(index_name))}</th>"] if show_index else []) + [
        ('<th class="left">' if left[j] else "<th>") + f"{html.escape(str(c))}</th>"
        for j, c in enumerate(text.columns)
    ]
    rows = []
    for i in range(len(text)):
        cells = []
        if show_index:
            cells.append(f"<td>{html.escape(str(text.index[i]))}</td>")
        for j, c in enumerate(text.columns):
            v = text.iat[i, j]
            if str(c) == "status" and v in ("green", "amber", "red", "info"):
                cells.append(f'<td><span class="status status-{v}">{v}</span></td>')
            else:
                cls = ' class="text"' if wrap[j] else ' class="left"' if left[j] else ""
                cells.append(f"<td{cls}>{html.escape(v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<div class="scroll"><table><thead><tr>'
        + "".join(head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


@dataclass
class Report:
    """An executive summary, a list of sections and the run metadata, with writers.

    Parameters
    ----------
    title : str
        The report's title.
    meta : dict
        Settings of the run shown under the title (rows, target, alpha, ...).
    sections : list of Section
        The sections, in order.
    summary : DataFrame, optional
        One row per test: ``section``, ``test``, ``null_hypothesis``, ``estimate``,
        ``statistic``, ``pvalue``, ``status`` (green/amber/red/info), ``detail``
        (:data:`infodiv.reporting.SUMMARY_COLUMNS`).
    summary_note : str
        How the statuses were set (thresholds), printed under the summary table.
    metadata : dict
        Run metadata: versions, data file hashes, seed, command line, date
        (:func:`infodiv.reporting.run_metadata`; by default that of this process, with no
        data file).
    kind : str, default "report"
        ``"report"`` or ``"validation"``: names the JSON schema and the output files.
    """

    title: str
    meta: dict[str, Any] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    summary: pd.DataFrame | None = None
    summary_note: str = ""
    metadata: dict[str, Any] = field(default_factory=run_metadata)
    kind: str = "report"

    def add(self, section: Section) -> Section:
        """Append ``section`` and return it.

        Parameters
        ----------
        section : Section
            The section.

        Returns
        -------
        Section
            ``section``.
        """
        self.sections.append(section)
        return section

    def section(self, key: str) -> Section:
        """The section with this key.

        Parameters
        ----------
        key : str
            The section's key.

        Returns
        -------
        Section
            The section.
        """
        for s in self.sections:
            if s.key == key:
                return s
        raise InvalidParameterError(
            f"key {key!r}: no such section; sections are {[s.key for s in self.sections]}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Every number of the report, for machines (the layout of the JSON schema).

        Returns
        -------
        dict
            ``schema_version``, ``kind``, ``title``, ``settings``, ``metadata``, ``summary``
            (a table), ``sections`` (by key: ``title``, ``text``, ``tables`` by snake_case key,
            ``figures``, ``data``).
        """
        sections: dict[str, Any] = {}
        for s in self.sections:
            tables: dict[str, Any] = {}
            for name, t in s.tables.items():
                key = snake(name)
                while key in tables:
                    key += "_"
                tables[key] = table_json(t, name, s.captions.get(name, ""))
            sections[snake(s.key)] = {
                "title": s.title,
                "text": list(s.text),
                "tables": tables,
                "figures": [
                    {"key": snake(n), "title": n, "caption": s.captions.get(n, "")}
                    for n in s.figures
                ],
                "data": _snake_keys(_clean(s.data)),
            }
        summary = self.summary if self.summary is not None else _empty_summary()
        return _clean(
            {
                "schema_version": SCHEMA_VERSION,
                "kind": self.kind,
                "title": self.title,
                "settings": _snake_keys(_clean(self.meta)),
                "metadata": _snake_keys(_clean(self.metadata)),
                "summary": {
                    **table_json(summary, "Executive summary", self.summary_note),
                    "counts": _status_counts(summary),
                },
                "sections": sections,
            }
        )

    def _meta_line(self) -> str:
        parts = []
        for k, v in self.meta.items():
            if isinstance(v, bool):
                text = str(v)
            elif isinstance(v, int | np.integer):
                text = format_count(v)
            elif isinstance(v, float | np.floating):
                text = f"{float(v):.4g}"
            else:
                text = str(v)
            parts.append(f"{k}: {text}")
        return "; ".join(parts)

    def _metadata_table(self) -> pd.DataFrame:
        rows: list[tuple[str, str]] = []
        for k, v in self.metadata.items():
            if isinstance(v, dict):
                rows += [(f"{k}: {k2}", str(v2)) for k2, v2 in v.items()]
            elif isinstance(v, list):
                for item in v:
                    if isinstance(item, dict):
                        rows.append((k, ", ".join(f"{a}={b}" for a, b in item.items())))
                    else:
                        rows.append((k, str(item)))
            else:
                rows.append((k, str(v)))
        return pd.DataFrame(
            {"value": [r[1] for r in rows]}, index=pd.Index([r[0] for r in rows], name="item")
        )

    def _summary_counts_line(self) -> str:
        c = _status_counts(self.summary if self.summary is not None else _empty_summary())
        return ", ".join(f"{v} {k}" for k, v in c.items() if v)

    def to_html(self) -> str:
        """Self-contained HTML: inline CSS, figures embedded as base64 PNG, no script.

        Returns
        -------
        str
            The page.
        """
        e = html.escape
        out = [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(self.title)}</title><style>{CSS}</style></head><body>",
            f"<h1>{e(self.title)}</h1>",
            f'<p class="meta">{e(self._meta_line())}</p>',
        ]
        links = [("summary", "Summary")] + [(s.key, s.title) for s in self.sections]
        links.append(("metadata", "Run metadata"))
        out.append(
            "<nav>" + "\n".join(f'<a href="#{e(k)}">{e(t)}</a>' for k, t in links) + "</nav>"
        )
        out.append('<section id="summary"><h2>Executive summary</h2>')
        if self.summary is not None and len(self.summary):
            out.append(f'<p class="counts">{e(self._summary_counts_line())}</p>')
            out.append(
                '<p class="caption">Every test of the report: its null hypothesis in words, '
                "statistic, p-value and status.</p>"
            )
            out.append(_html_table(self.summary))
            if self.summary_note:
                out.append(f'<p class="caption">{e(self.summary_note)}</p>')
        else:
            out.append("<p>No tests.</p>")
        out.append("</section>")
        for s in self.sections:
            out.append(f'<section id="{e(s.key)}"><h2>{e(s.title)}</h2>')
            out += [f"<p>{e(p)}</p>" for p in s.text]
            for name, png in s.figures.items():
                b64 = base64.b64encode(png).decode("ascii")
                cap = s.captions.get(name, "")
                out.append(
                    f'<figure><img alt="{e(name)}" src="data:image/png;base64,{b64}">'
                    f"<figcaption><b>{e(name)}</b>{'. ' + e(cap) if cap else ''}</figcaption>"
                    "</figure>"
                )
            for name, t in s.tables.items():
                cap = s.captions.get(name, "")
                cap_html = f'<p class="caption">{e(cap)}</p>' if cap else ""
                if name in s.folded:
                    out.append(
                        f"<details><summary>{e(name)} ({format_count(len(t))} rows)</summary>"
                        f"{cap_html}{_html_table(t)}</details>"
                    )
                else:
                    out.append(f"<h3>{e(name)}</h3>{cap_html}{_html_table(t)}")
            out.append("</section>")
        out.append('<section id="metadata"><h2>Run metadata</h2>')
        out.append(
            '<p class="caption">What produced this report: versions, data file hashes '
            "(SHA-256), seed, command line and date.</p>"
        )
        out.append(_html_table(self._metadata_table()))
        out.append("</section></body></html>\n")
        return "\n".join(out)

    def to_markdown(self, figure_dir: str | None = None) -> tuple[str, dict[str, bytes]]:
        """Markdown text and the figure files it links to (relative paths -> PNG bytes).

        Parameters
        ----------
        figure_dir : str, optional
            Folder of the figures, relative to the Markdown file (default ``figures``).

        Returns
        -------
        tuple of (str, dict)
            The text, and the figure files by relative path.
        """
        lines = [f"# {self.title}", "", self._meta_line(), "", "## Executive summary", ""]
        if self.summary is not None and len(self.summary):
            lines += [
                self._summary_counts_line(),
                "",
                "*Every test of the report: its null hypothesis in words, statistic, p-value "
                "and status.*",
                "",
                _markdown_table(self.summary),
                "",
            ]
            if self.summary_note:
                lines += [f"*{self.summary_note}*", ""]
        files: dict[str, bytes] = {}
        for s in self.sections:
            lines += [f"## {s.title}", ""]
            for p in s.text:
                lines += [p, ""]
            for name, png in s.figures.items():
                slug = snake(f"{s.key}_{name}")
                path = f"{figure_dir or 'figures'}/{slug}.png"
                files[path] = png
                cap = s.captions.get(name, "")
                lines += [f"![{name}]({path})", ""]
                if cap:
                    lines += [f"*{name}. {cap}*", ""]
            for name, t in s.tables.items():
                cap = s.captions.get(name, "")
                lines += [f"### {name}", ""]
                if cap:
                    lines += [f"*{cap}*", ""]
                lines += [_markdown_table(t), ""]
        lines += ["## Run metadata", "", _markdown_table(self._metadata_table()), ""]
        return "\n".join(lines), files

    def write(self, out_dir: str | Path, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
        """Write the report into ``out_dir`` (created); returns the paths written by format.

        The files are ``<kind>.html``, ``<kind>.md`` (figures under ``figures/``) and
        ``<kind>.json`` (``report.*`` or ``validation.*``).

        Parameters
        ----------
        out_dir : str or Path
            Output folder (created with its parents).
        formats : tuple of str
            Among ``"html"``, ``"md"``, ``"json"``.

        Returns
        -------
        dict of str to Path
            The files written, by format.
        """
        unknown = [f for f in formats if f not in FORMATS]
        if unknown:
            raise InvalidParameterError(f"format must be among {FORMATS}; got {unknown}")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        if "html" in formats:
            written["html"] = out / f"{self.kind}.html"
            written["html"].write_text(self.to_html(), encoding="utf-8")
        if "md" in formats:
            text, files = self.to_markdown()
            for rel, png in files.items():
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                (out / rel).write_bytes(png)
            written["md"] = out / f"{self.kind}.md"
            written["md"].write_text(text, encoding="utf-8")
        if "json" in formats:
            written["json"] = out / f"{self.kind}.json"
            written["json"].write_text(
                json.dumps(self.to_dict(), indent=1, allow_nan=False), encoding="utf-8"
            )
        return written


SUMMARY_COLUMNS = ["section", "test", "null_hypothesis", "statistic", "pvalue", "status", "detail"]


def _empty_summary() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "section": pd.Series([], dtype=object),
            "test": pd.Series([], dtype=object),
            "null_hypothesis": pd.Series([], dtype=object),
            "statistic": pd.Series([], dtype=float),
            "pvalue": pd.Series([], dtype=float),
            "status": pd.Series([], dtype=object),
            "detail": pd.Series([], dtype=object),
        }
    )


def _status_counts(summary: pd.DataFrame) -> dict[str, int]:
    st = summary["status"].astype(str) if "status" in summary.columns else pd.Series([], dtype=str)
    return {k: int((st == k).sum()) for k in ("green", "amber", "red", "info")}
