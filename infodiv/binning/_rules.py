"""How many bins a feature may have: ``max_bins`` rules and the histogram size ``n_cells``.

``max_bins`` of :class:`~infodiv.binning.StumpBinner` is an int, a callable or the name of a rule
in :data:`MAX_BINS_RULES` (``"pn"``: the sample-size criterion, reached through the documented
lazy hook ``binning -> sample_size``). :func:`auto_n_cells` sizes xgboost's histogram from the
minimum bin share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from infodiv.exceptions import InvalidParameterError

__all__ = ["MAX_BINS_RULES", "auto_n_cells", "resolve_max_bins"]


def _pn_rule(*, n_samples: float, n_events: float, n_nonevents: float, feature: str) -> int:
    """The p-n criterion at epsilon = 0.05: the most bins both class distributions afford.

    A feature with K bins is a (K-1)-dimensional multinomial model of each class's distribution;
    :func:`infodiv.sample_size.max_affordable_bins` gives the largest K whose estimation risk
    stays below ``8 epsilon^2`` for the smaller class (the bads, usually).
    """
    from infodiv.sample_size import max_affordable_bins

    return max(1, max_affordable_bins(min(n_events, n_nonevents), epsilon=0.05))


#: Named rules for ``max_bins``: ``name -> f(n_samples=, n_events=, n_nonevents=, feature=)``
#: returning the largest number of regular bins to allow. ``"pn"``: the sample-size (p-n)
#: criterion at epsilon = 0.05 (:func:`infodiv.sample_size.max_affordable_bins`).
MAX_BINS_RULES: dict[str, Callable[..., int]] = {"pn": _pn_rule}


def resolve_max_bins(
    max_bins: int | str | Callable[..., int],
    *,
    n_samples: float,
    n_events: float,
    n_nonevents: float,
    feature: str,
) -> int:
    """The number of regular bins allowed for one feature.

    Parameters
    ----------
    max_bins : int, str or callable
        An int (>= 2), a callable called with the keyword arguments of this function, or the
        name of a rule in :data:`MAX_BINS_RULES` (``"pn"``: the sample-size criterion).
    n_samples, n_events, n_nonevents : float
        Weighted number of training rows, of events and of non-events.
    feature : str
        Column name (passed to a rule; used in error messages).

    Returns
    -------
    int
        The largest number of regular bins allowed.
    """
    rule: Any = max_bins
    if isinstance(max_bins, str):
        if max_bins not in MAX_BINS_RULES:
            raise InvalidParameterError(
                f"max_bins={max_bins!r} is not an available rule (registered: "
                f"{sorted(MAX_BINS_RULES) or 'none'}); pass an int >= 2 or a callable"
                "(n_samples=, n_events=, n_nonevents=, feature=) -> int"
            )
        rule = MAX_BINS_RULES[max_bins]
    if callable(rule):
        value = rule(
            n_samples=n_samples, n_events=n_events, n_nonevents=n_nonevents, feature=feature
        )
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise InvalidParameterError(
                f"max_bins rule returned {value!r} for {feature!r}; need an int >= 1"
            )
        return int(value)
    if isinstance(rule, bool) or not isinstance(rule, int | np.integer) or rule < 2:
        raise InvalidParameterError(
            f"max_bins must be an int >= 2, a rule name or a callable; got {max_bins!r}"
        )
    return int(rule)


def auto_n_cells(min_bin_share: float, cap: int = 256) -> int:
    """Histogram size of ``n_cells="auto"``: two quantile cells per ``min_bin_share``.

    A final bin must hold at least ``min_bin_share`` of the rows, so candidate thresholds closer
    than about half that share only make bins that the minimum-share merge removes again; yet
    they draw the stumps' splits (a steep tail collects many nearby thresholds) away from places
    where bins can survive. ``ceil(2 / min_bin_share)`` cells (67 at the default 3%, 40 at 5%), at most
    ``cap`` (xgboost's usual 256, also used when ``min_bin_share`` is 0).

    Parameters
    ----------
    min_bin_share : float
        Smallest share of the (weighted) rows in a final bin.
    cap : int, default=256
        Largest histogram size.

    Returns
    -------
    int
        The number of quantile cells (xgboost's ``max_bin``).

    Examples
    --------
    >>> auto_n_cells(0.05), auto_n_cells(0.03), auto_n_cells(0.0)
    (40, 67, 256)
    """
    if min_bin_share <= 0:
        return cap
    return int(min(cap, max(2, np.ceil(round(2.0 / min_bin_share, 9)))))
