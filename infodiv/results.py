"""Shared behaviour of infodiv's results objects (statsmodels-style display)."""

from __future__ import annotations

import html

import pandas as pd

__all__ = ["ResultMixin"]


class ResultMixin:
    """Mixin giving every result a notebook display built from its ``summary()`` DataFrame.

    Subclasses implement ``summary()`` (a DataFrame) and ``__repr__``; ``params``, ``bse`` and
    ``conf_int(alpha)`` follow statsmodels' names.
    """

    def summary(self) -> pd.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    def _repr_html_(self) -> str:
        title = html.escape(type(self).__name__)
        table = self.summary().to_html(float_format=lambda v: f"{v:.5g}", border=0)
        return f"<div><strong>{title}</strong>{table}</div>"
