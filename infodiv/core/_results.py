"""One results contract for every result infodiv returns (statsmodels' names, SciPy's interval).

Every result has ``estimate``, ``se``, ``pvalue`` (where a test exists, else NaN),
``conf_int(alpha=None)`` returning one :class:`ConfidenceInterval` ``(low, high)`` (floats for a
scalar result, Series aligned with ``params`` for a vector result), ``params`` and ``bse``
aligned on one index, ``summary()`` (a DataFrame whose first columns are
``estimate, se, ci_low, ci_high`` and then ``statistic, df, pvalue`` where they exist),
``to_frame()``, a readable ``__repr__`` and ``_repr_html_`` for notebooks.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd

__all__ = ["SUMMARY_COLUMNS", "ConfidenceInterval", "ResultBase", "order_columns", "summarize"]

#: The leading columns of every ``summary()``, in this order (the last three where they exist).
SUMMARY_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "statistic", "df", "pvalue")


class ConfidenceInterval(NamedTuple):
    """A confidence interval ``(low, high)``: floats, or Series aligned with ``params``.

    A named pair, as SciPy's ``ConfidenceInterval``: ``ci.low``, ``ci.high``, and
    ``low, high = ci`` both work.

    Parameters
    ----------
    low, high : float or Series
        The lower and upper ends of the interval.
    """

    low: Any
    high: Any


def order_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the contract's columns first, in :data:`SUMMARY_COLUMNS` order."""
    lead = [c for c in SUMMARY_COLUMNS if c in frame.columns]
    return frame[lead + [c for c in frame.columns if c not in lead]]


class ResultBase:
    """Base of every infodiv result: the shared contract and its notebook display.

    Subclasses provide ``estimate``, ``se``, ``conf_int(alpha=None)`` and ``summary()``;
    ``params``/``bse`` default to one-row Series labelled by :attr:`_label`, ``pvalue`` to NaN
    where no test exists, and ``to_frame()`` to ``summary()``.
    """

    #: Label of the single parameter of a scalar result (``params`` index).
    @property
    def _label(self) -> str:
        return str(getattr(self, "name", None) or type(self).__name__)

    @property
    def params(self) -> pd.Series:
        """The estimate(s), indexed by parameter."""
        est = self.estimate  # type: ignore[attr-defined]
        if isinstance(est, pd.Series):
            return est
        return pd.Series({self._label: est})

    @property
    def bse(self) -> pd.Series:
        """The standard error(s), on the index of :attr:`params`."""
        se = self.se  # type: ignore[attr-defined]
        if isinstance(se, pd.Series):
            return se
        return pd.Series({self._label: se})

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:  # pragma: no cover
        """Two-sided ``1 - alpha`` confidence interval(s) of the estimate (abstract).

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's own level.

        Returns
        -------
        ConfidenceInterval
            The named pair ``(low, high)``: floats for a scalar result, Series on the index
            of :attr:`params` for a vector one.
        """
        raise NotImplementedError

    def summary(self) -> pd.DataFrame:  # pragma: no cover - abstract
        """The result as a table (abstract).

        Returns
        -------
        pandas.DataFrame
            One row per parameter: ``estimate, se, ci_low, ci_high`` first, then the
            subclass's columns.
        """
        raise NotImplementedError

    def _frame(self, index: Any = None, tests: tuple[str, ...] = (), **extra: Any) -> pd.DataFrame:
        """The summary frame: the contract's leading columns, then ``extra`` in order.

        ``estimate, se, ci_low, ci_high`` (the interval of :meth:`conf_int` at the result's
        level), then the attributes named in ``tests`` (among ``statistic, df, pvalue``), then
        the ``extra`` columns. Scalars with ``index`` give one row; Series align on their index.
        """
        low, high = self.conf_int()
        columns: dict[str, Any] = {
            "estimate": self.estimate,  # type: ignore[attr-defined]
            "se": self.se,  # type: ignore[attr-defined]
            "ci_low": low,
            "ci_high": high,
        }
        columns.update({name: getattr(self, name) for name in tests})
        columns.update(extra)
        return pd.DataFrame(columns, index=index)

    def to_row(self) -> pd.DataFrame:
        """Give ``summary()`` as rows for :func:`summarize` (one row for a scalar result).

        Returns
        -------
        pandas.DataFrame
            The result's :meth:`summary`, the rows that :func:`summarize` stacks.
        """
        return self.summary()

    def to_frame(self) -> pd.DataFrame:
        """The result as a DataFrame (the same as :meth:`summary`).

        Returns
        -------
        pandas.DataFrame
            The result's :meth:`summary`.
        """
        return self.summary()

    def _repr_html_(self) -> str:
        title = html.escape(type(self).__name__)
        table = self.summary().to_html(float_format=lambda v: f"{v:.5g}", border=0)
        return f"<div><strong>{title}</strong>{table}</div>"


def summarize(
    results: Mapping[str, ResultBase], index_name: str = "feature", sort_by: str | None = None
) -> pd.DataFrame:
    """One row per result, indexed by the mapping's keys (the per-feature tables).

    Parameters
    ----------
    results : mapping of str -> ResultBase
        The results, each of which gives one row through ``to_row()``.
    index_name : str, default "feature"
        Name of the index.
    sort_by : str, optional
        Column to sort by, descending (e.g. ``"estimate"``).

    Returns
    -------
    pandas.DataFrame
        Columns start with ``estimate, se, ci_low, ci_high`` (then ``statistic, df, pvalue``).
    """
    rows = []
    for key, res in results.items():
        row = res.to_row()
        rows.append(row.set_axis(pd.Index([key] * len(row), name=index_name)))
    if not rows:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS), index=pd.Index([], name=index_name))
    out = order_columns(pd.concat(rows))
    if sort_by is not None:
        out = out.sort_values(sort_by, ascending=False, kind="stable")
    return out
