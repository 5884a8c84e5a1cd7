"""Bin edges learned from depth-1 XGBoost stumps (``StumpBinner``).

A gradient-boosted model whose trees all have depth 1 is additive: each tree splits one feature
at one threshold, so the log-odds is ``sum_f s_f(x_f)`` with each ``s_f`` a step function whose
jumps sit at that feature's thresholds. Those thresholds are the candidate bin edges
(``shared/specs/stump-binning.md``).

Design choices
--------------
* **One model per feature (default, ``strategy="per_feature"``).** Each column gets its own
  stump model, so its bins depend on that column alone, like the (marginal) WoE and IV then
  computed on them. The column is first cut at ``n_cells`` quantiles (observed values) and
  reduced to one weighted row per (quantile bin, class): a depth-1 booster only sees gradient
  sums per histogram bin, so it finds the same splits on this table as on the pre-binned
  column, and the boosting cost no longer grows with the number of rows (at most
  ``2 * n_cells`` rows per column). Measured on the Taiwan data (30k x 23), this is as fast as
  the joint model and gave a higher holdout AUC of the WoE regression (see
  ``benchmarks/binning_vs_optbinning.py``).
* **A function of the cell table** (per feature). After counting the rows in the quantile
  cells, the per-feature fit reads no row: stumps, trend, merges and final counts come from the
  sums per (cell, class), the special and missing bins and the column's totals
  (``_FineTable``; ``StumpBinner._fit_cells``). :meth:`StumpBinner.fit_counts` starts there,
  from a :class:`~infodiv.core.CountTable` of fine cells built by any engine
  (:func:`infodiv.scale.count_table`), and gives the bins of :meth:`StumpBinner.fit` on the
  same cells (``StumpBinner._cell_table`` returns the cells ``fit`` cuts and their table).
* **Histogram size tied to the minimum bin share** (``n_cells="auto"``): ``ceil(2 /
  min_bin_share)`` quantile cells (40 at 5%), so the candidate thresholds are about half a
  minimum bin apart. With xgboost's usual 256 cells the stumps spend their rounds on many
  nearby thresholds where the log-odds is steep (the tails of a U shape), which the
  minimum-share merge then collapses, and too few land where bins can survive.
* **One joint model** (``strategy="joint"``), as in the paper: one xgboost fit on all
  columns (every row; each value given as the index of its quantile cell, the cells of
  ``"per_feature"``). The edges of a feature are where *its* effect changes given the
  others; a feature whose information the other columns already carry (or that has none)
  gets a single regular bin, and a monotone trend chosen on the marginal relation may
  disagree with the conditional one (the pooling step below then merges the bins). This is
  the strategy whose cost a GPU (``device="cuda"``) can cut on large tables. Its rounds are
  shared by all columns (each adds one threshold to one column), so its default budget
  (``n_estimators="auto"``) is the per-feature strategy's total, 50 rounds per column, as long
  as rows x columns x rounds stays within ``_JOINT_WORK`` (5e8), and fewer beyond it, down to
  10 per column on large tables (in the benchmarks more rounds raised the holdout AUC or left
  it within noise; they cost row passes). XGBoost quantises the matrix of cell indices
  itself, by the known cuts (one per cell; ``QuantileDMatrix`` with a reference), instead of
  sketching the rows, and the final bins' sums are sums of cells, as with ``"per_feature"``.
* **Only the order of the values matters.** XGBoost compares float32 values, which merges
  neighbours under a large offset (``x + 1e8``, epoch timestamps) and overflows beyond 3.4e38;
  it is given the index of each value's quantile cell instead (small integers), and each split
  is read back as the smallest value of the first cell to its right. The weights it gets have
  mean 1, with no L2 penalty on the leaves and no minimum hessian to speak of, so the splits
  do not depend on a common scale of the weights (``1e200`` or ``1e-200`` included). The
  quantile cells keep every value holding at least ``min(min_bin_share, 1 / n_cells)`` of the
  weight in a cell of its own, and a column with at most ``n_cells`` distinct values gets a
  cell per value. Datetimes (any unit) and timedeltas are binned as nanoseconds; their bins
  carry ``time_dtype`` and apply to the same instants in any unit.
* **Edges from thresholds.** The distinct thresholds of a feature define fine bins. They are
  then merged, in this order: empty bins; bins below ``min_bin_share`` (into the neighbour with
  the closer event rate); violations of the monotone trend (pool-adjacent-violators on the
  event rate, so the final WoE is monotone even where the boosted ``s_f`` and the marginal event
  rate disagree); the edges of lowest total xgboost gain until at most ``max_bins`` regular bins
  remain; optionally adjacent bins whose WoE difference is not significant at ``merge_alpha``.
  Each merge preserves what the earlier steps established.
* **Categorical columns** (pandas ``category`` or ``bool``) are ordered by their smoothed event
  rate on the training data, coded by that rank, and binned by the same stumps with an
  increasing constraint: every bin is a group of categories with adjacent event rates. Text
  columns that are not marked categorical are refused (pandas 3 reads text as ``str``).
  Categories unseen in ``fit`` get index ``-1`` (label ``"unseen"``) with a warning.
* **Missing values** always have their own bin (the last one), whose WoE is reported; it is
  empty when ``fit`` saw no missing value. **Special values** (e.g. ``-1``, ``9999``) get one bin
  each and are kept out of the stumps.
* **Device.** ``device="cuda"`` trains on a GPU. XGBoost itself silently falls back to the CPU
  when none is usable; the binner reads the device the booster really used
  (``json.loads(booster.save_config())["learner"]["generic_param"]["device"]``), stores it in
  ``device_`` and warns naming the fallback, or raises with ``strict_device=True``.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from infodiv._param_validation import Interval, StrOptions, validate_estimator_params
from infodiv._sklearn import as_frame, fit_inputs
from infodiv._validation import check_alpha, one_warning_per_call, warn_feature
from infodiv.binning._cellboost import boost_cells
from infodiv.binning._columns import _Column, _compress, _prepare_column, _trend_direction
from infodiv.binning._crossfit import (
    CI_NOTE,
    CROSS_FIT,
    IN_SAMPLE,
    crossfit_counts,
    crossfit_iv_test,
)
from infodiv.binning._merge import BinStats, _count_table, _select_edges
from infodiv.binning._rules import auto_n_cells, resolve_max_bins
from infodiv.binning._xgb import (
    _check_device,
    _params,
    _probe_device,
    _snap,
    _splits_of,
    _train,
    booster_device,
)
from infodiv.core import (
    UNSEEN,
    CountTable,
    FeatureBins,
    quantile_edges,
    right_codes,
    summarize,
)
from infodiv.exceptions import InfodivWarning, InvalidParameterError, UnseenCategoryWarning

__all__ = ["StumpBinner"]


def _safe_weights(w: np.ndarray) -> np.ndarray:
    """The weights, rescaled by a power of two when their squares would over- or underflow.

    The count tables hold ``sum w`` and ``sum w^2`` (Kish's effective size ``(sum w)^2 /
    sum w^2``); WoE, IV and their SEs do not depend on a common scale of the weights, but
    ``w^2`` overflows beyond about 1e154 and vanishes below about 1e-154. Such weights are
    multiplied by an exact power of two (largest weight in [0.5, 1)), with a warning naming
    ``sample_weight``; other weights are kept as they are.
    """
    pos = w[w > 0]
    top, low = float(pos.max()), float(pos.min())
    lim = 2.0**480 / max(len(w), 1) ** 0.5  # sum of squares stays far from overflow
    if top < lim and low > 2.0**-480:
        return w
    _, e = np.frexp(top)
    warnings.warn(
        f"sample_weight ranges from {low:.3g} to {top:.3g}: the squares of such weights "
        f"overflow or vanish in float64; the weights were multiplied by 2**{-int(e)} (a common "
        "factor: WoE, IV and their SEs are unchanged, counts_ holds the rescaled sums)",
        InfodivWarning,
        stacklevel=3,
    )
    return np.ldexp(w, -int(e))


Trend = Literal["auto", "increasing", "decreasing"] | None
_NO_ROWS = np.empty(0)  # the row arrays of a column once its cells are counted
#: The joint strategy's work budget with ``n_estimators="auto"``: rows x features x rounds,
#: the histogram entries its boosting builds (5e8: the joint fit of 50,000 x 20 took 1.3 s at
#: the 500 rounds it allows, 0.7 s at 200, one thread). Within it the joint model gets 50
#: rounds per feature, beyond it fewer, down to 10 per feature (``StumpBinner._rounds``).
_JOINT_WORK = 500_000_000


@dataclass
class _FineTable:
    """What the per-feature fit needs, per feature, once the rows are counted in cells.

    ``comps[j]``: the non-empty (cell, class) entries of column ``j`` as :func:`_compress`
    returns them (value, class, n, sum w, sum w^2, cell index); ``extras[j]``: its special and
    missing bins; ``total_w``, ``n_events``: its weight sums (all rows, events); and
    ``weight_scale``: ``(a, b)``, xgboost is given ``(sum w / a) / b`` per cell (mean 1).
    ``cols`` hold the column's kind, categories, special values and how a cell value reads
    back (their row arrays are not used by :meth:`StumpBinner._fit_cells`).
    """

    cols: list[_Column]
    comps: Sequence[tuple[np.ndarray, ...]]
    extras: list[BinStats]
    total_w: list[float]
    n_events: list[float]
    weight_scale: list[tuple[float, float]]


def _with_note(old: Any, note: str, n: int) -> list[str]:
    """``note`` added to each of ``n`` existing notes (``old``: a column, or None)."""
    prev = [""] * n if old is None else ["" if pd.isna(v) else str(v) for v in old]
    return [f"{v}; {note}" if v else note for v in prev]


class StumpBinner(TransformerMixin, BaseEstimator):
    """Bin every column by the thresholds of depth-1 XGBoost stumps (see the module docstring).

    Parameters
    ----------
    max_bins : int, str or callable, default=20
        Largest number of regular bins per feature (missing and special bins come on top). A
        callable ``f(n_samples=, n_events=, n_nonevents=, feature=) -> int`` or the name of a
        rule registered in :data:`MAX_BINS_RULES`; ``"pn"`` is the p-n sample-size criterion.
    min_bin_share : float, default=0.03
        Smallest share of the (weighted) training rows in a regular bin. The defaults (20 bins
        of at least 3%; 10 of 5% before issue 16) are set by the holdout AUC of the WoE
        regression in ``benchmarks/binning_auc.py``: the coarser bins lost 0.0031 against
        optbinning on the 1,000,000 x 50 table (U-shaped effects with steep tails) and gained
        nothing measurable on Taiwan, German or SimuCredit v2 (``docs/binning.md``).
    monotone_trend : {"auto", "increasing", "decreasing"} or None, or dict, default="auto"
        Trend of the event rate (and WoE) across a numeric feature's bins. ``"increasing"`` /
        ``"decreasing"`` are imposed through xgboost's ``monotone_constraints`` and a final
        pool-adjacent-violators merge. ``"auto"`` fits unconstrained stumps, takes the direction
        of the feature's (weighted, Mann-Whitney) AUC for the target, pools the violators, and
        keeps that monotone binning unless the free one fits better by the BIC, compared
        whatever the two sizes (also when both reach ``max_bins``): ``2 * loglik gain >
        max(extra bins, 1) * ln(n)`` over the pooled bins, and the free bins supported against
        one bin (``2 * loglik gain > (bins - 1) * ln(n)``), so noise stays monotone. Then the
        bins stay free, e.g. U-shaped, and ``trend_`` is 0. ``None`` leaves the trend free. A dict gives a value per column
        (missing keys: "auto"). Categorical columns are ordered by event rate, so their trend
        is increasing unless ``None``.
    special_values : sequence or dict, optional
        Values given a bin each (e.g. ``[-1, 9999]``): one list for every column, or a dict
        ``{column: list}``.
    strategy : {"per_feature", "joint"}, default="per_feature"
        One xgboost model per column (on its quantile-compressed table), or one on all columns.
    n_estimators : int or "auto", default="auto"
        Boosting rounds (each round adds at most one threshold). ``"auto"``: 50 per feature
        with ``"per_feature"`` (each column has its own model). With ``"joint"`` the rounds
        are shared by all columns, and a round costs a pass over the rows: ``"auto"`` gives
        the joint model the same total, ``50 * n_features`` rounds, while ``n_rows *
        n_features * rounds`` stays within 5e8, else ``5e8 // (n_rows * n_features)`` but at
        least ``10 * n_features`` (and always at least 50). Holdout AUC of the WoE regression
        against the per-feature default (``docs/binning.md``): German (700 training rows x
        20: 1,000 rounds) -0.0030, was -0.0105 with 10 per feature (200); Taiwan (1,035
        rounds) +0.0014; SimuCredit v2 (350) -0.0006; the 1,000,000 x 50 table keeps 10 per
        feature (500 rounds, +0.0002). Pass an int, ``n_jobs`` or ``device="cuda"`` to
        trade time for rounds on large tables.
    learning_rate : float, default=0.3
        Shrinkage of each stump's leaf values (xgboost's ``eta``), in ``[1e-12, 1]``.
    n_cells : int or "auto", default="auto"
        XGBoost's histogram size: candidate thresholds per feature (quantile cells of the
        compressed column with ``"per_feature"``). ``"auto"``: ``ceil(2 / min_bin_share)``,
        at most 256 (67 at the default 3%; 256 when ``min_bin_share`` is 0), see
        :func:`auto_n_cells`. Finer cells only add thresholds that make bins below the minimum
        share (merged away again), and draw the splits away from where bins survive: on the
        benchmark's 1,000,000 x 50 table, 256 cells lost 0.0027 of holdout AUC of the WoE
        regression against ``"auto"``.
    merge_alpha : float, optional
        Merge adjacent bins whose WoE difference has a p-value above this level.
    output : {"index", "label"}, default="index"
        What :meth:`transform` returns: bin codes (``-1`` for unseen categories) or labels.
    random_state : int, RandomState or None
        Seeds xgboost (depth-1 ``hist`` trees without subsampling are deterministic anyway)
        and the quantile sample of rows that cuts the fine cells of a column with more than
        200,000 non-missing values (one sample per fit, shared by the columns).
    n_jobs : int, optional
        Threads (``None`` = 1, ``-1`` = all cores): the columns prepared and counted in their
        fine cells at once in :meth:`fit` (the bins do not depend on it), xgboost's threads,
        and with ``booster="xgboost"`` the columns boosted at once.
    device : {"cpu", "cuda"} or str, default="cpu"
        XGBoost device (``"cuda:1"`` etc. accepted).
    strict_device : bool, default=False
        Raise instead of warning when xgboost did not use the requested device.
    event : label, optional
        The event (bad) class of ``y``. Not needed for 0/1 targets (integers, floats, nullable
        integers) or booleans, where 1/``True`` is the event; required for any other pair of
        labels (e.g. ``event="bad"`` with ``"good"``/``"bad"``). Checked in ``fit``.
    pvalue_cv : int or None, default=None
        Folds of the cross-fitted test of "no association" (IV = 0) reported by
        :meth:`summary`: the rows are cut into ``pvalue_cv`` stratified folds and each fold's
        rows are counted in bins learned, with these parameters, on the other folds, so the
        test no longer sees the rows its bins were chosen on (see :func:`crossfit_iv_test`).
        Costs ``pvalue_cv`` more fits on ``(pvalue_cv - 1) / pvalue_cv`` of the rows. ``None``:
        the p-values of :meth:`summary` are in-sample (the bins were chosen on the same rows:
        on pure-noise features they reject 12.6-13.6% at 5%) and say so in ``pvalue_method``;
        do not select features on them.
    booster : {"auto", "cells", "xgboost"}, default="auto"
        What boosts the per-feature stumps. ``"cells"``: a numpy implementation of xgboost's
        depth-1 ``hist`` boosting on the cell tables, all features at once (same intercept,
        float32 gradients, gain formula, ``min_child_weight``, monotone checks and first-best
        cut; tested to give xgboost's splits, with summed gains equal to about 1e-4
        relative), without xgboost's per-round Python overhead. ``"xgboost"``: one xgboost
        booster per feature. ``"auto"``: ``"cells"`` with ``strategy="per_feature"`` on
        ``device="cpu"``, xgboost otherwise. The joint strategy always uses xgboost
        (``"cells"`` is refused there).

    Attributes
    ----------
    bins_ : dict of str -> FeatureBins
        Learned bins per feature (edges, category groups, special values, missing bin).
    woe_tables_ : mapping of str -> WoETable
        WoE per bin with SEs and CIs, and the feature's IV, on the training data (each table
        is built on first access).
    counts_ : CountTable
        Training counts per feature, bin and class.
    splits_ : DataFrame
        Every stump threshold: ``feature``, ``split``, ``gain`` (summed over trees), ``trees``,
        ``kept`` (whether it is a final edge). For an integer column beyond 2**53, ``split``
        is the float64 nearest the exact integer edge (``bins_`` holds the exact ints).
    trend_ : dict of str -> int
        Trend of the final bins per feature (+1 increasing, -1 decreasing, 0 free).
    device_ : str
        Device xgboost reported having used.
    iv_test_ : DataFrame or None
        With ``pvalue_cv``: the cross-fitted test per feature (``statistic``, ``df``,
        ``pvalue``, ``pvalue_method``, ``n_folds``); else ``None``.
    crossfit_bins_, crossfit_counts_, crossfit_test_rows_ : list or None
        With ``pvalue_cv``, per fold: the bins learned on the other folds, the counts of the
        fold's rows in them (:func:`crossfit_counts`) and the positions of its rows.
    classes_ : ndarray
        The two target labels; the event is ``classes_[1]``.
    n_features_in_, feature_names_in_

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"x": rng.normal(size=5000)})
    >>> y = (rng.random(5000) < 1 / (1 + np.exp(-2 * X["x"]))).astype(int)
    >>> b = StumpBinner(max_bins=5).fit(X, y)
    >>> len(b.bins_["x"].edges) <= 4, b.trend_["x"]
    (True, 1)
    >>> woe = b.woe_tables_["x"].woe.to_numpy()[:-1]  # regular bins (last is missing)
    >>> bool(np.all(np.diff(woe) > 0))
    True
    """

    def __init__(
        self,
        max_bins: int | str | Callable[..., int] = 20,
        min_bin_share: float = 0.03,
        monotone_trend: Trend | Mapping[str, Trend] = "auto",
        special_values: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
        strategy: Literal["joint", "per_feature"] = "per_feature",
        n_estimators: int | Literal["auto"] = "auto",
        learning_rate: float = 0.3,
        n_cells: int | Literal["auto"] = "auto",
        merge_alpha: float | None = None,
        output: Literal["index", "label"] = "index",
        random_state: int | np.random.RandomState | None = None,
        n_jobs: int | None = None,
        device: str = "cpu",
        strict_device: bool = False,
        event: Any = None,
        pvalue_cv: int | None = None,
        booster: Literal["auto", "cells", "xgboost"] = "auto",
    ) -> None:
        self.max_bins = max_bins
        self.min_bin_share = min_bin_share
        self.monotone_trend = monotone_trend
        self.special_values = special_values
        self.strategy = strategy
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.n_cells = n_cells
        self.merge_alpha = merge_alpha
        self.output = output
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.device = device
        self.strict_device = strict_device
        self.event = event
        self.pvalue_cv = pvalue_cv
        self.booster = booster

    # ------------------------------------------------------------------ checks
    #: Declarative constraints of the constructor parameters, checked first in ``fit``
    #: (value rules that need several parameters stay in ``_check_params``).
    _parameter_constraints: dict[str, list[Any]] = {
        "max_bins": [Interval(int, 2, None, closed="left"), str, "callable"],
        "min_bin_share": [Interval(float, 0, 0.5, closed="left")],
        "monotone_trend": [StrOptions({"auto", "increasing", "decreasing"}), Mapping, None],
        "special_values": ["array-like", Mapping, None],
        "strategy": [StrOptions({"joint", "per_feature"})],
        "n_estimators": [Interval(int, 1, None, closed="left"), StrOptions({"auto"})],
        # xgboost's documented eta range (0, 1]; floored at 1e-12 as xgboost reads it as a
        # float32 (5e-324 underflows there, 1e308 overflows: xgboost's own error otherwise)
        "learning_rate": [Interval(float, 1e-12, 1, closed="both")],
        "n_cells": [Interval(int, 1, None, closed="left"), StrOptions({"auto"})],
        "merge_alpha": [Interval(float, 0, 1, closed="neither"), None],
        "output": [StrOptions({"index", "label"})],
        "random_state": ["no_validation"],
        "n_jobs": [
            Interval(int, 1, None, closed="left"),
            Interval(int, -1, -1, closed="both"),
            None,
        ],
        "device": [str],
        "strict_device": ["boolean"],
        "event": ["no_validation"],
        "pvalue_cv": [Interval(int, 2, None, closed="left"), None],
        "booster": [StrOptions({"auto", "cells", "xgboost"})],
    }

    def _check_params(self) -> None:
        validate_estimator_params(self)
        if not (isinstance(self.min_bin_share, int | float) and 0 <= self.min_bin_share < 0.5):
            raise InvalidParameterError(
                f"min_bin_share must be in [0, 0.5); got {self.min_bin_share!r}"
            )
        if self.strategy not in ("joint", "per_feature"):
            raise InvalidParameterError(
                f"strategy must be 'joint' or 'per_feature'; got {self.strategy!r}"
            )
        for name in ("n_estimators", "n_cells"):
            v = getattr(self, name)
            if isinstance(v, str) and v == "auto":
                continue
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 1:
                kinds = "a positive int or 'auto'"
                raise InvalidParameterError(f"{name} must be {kinds}; got {v!r}")
        if not (isinstance(self.learning_rate, int | float) and self.learning_rate > 0):
            raise InvalidParameterError(
                f"learning_rate must be positive; got {self.learning_rate!r}"
            )
        if self.merge_alpha is not None:
            check_alpha(self.merge_alpha, "merge_alpha")
        if self.booster == "cells" and self.strategy == "joint":
            raise InvalidParameterError(
                "booster='cells' boosts each column on its own cell table: it needs "
                "strategy='per_feature' (the joint model is fitted by xgboost: booster='auto' "
                "or 'xgboost')"
            )
        if self.output not in ("index", "label"):
            raise InvalidParameterError(f"output must be 'index' or 'label'; got {self.output!r}")
        if not isinstance(self.device, str) or not (
            self.device == "cpu" or self.device.startswith("cuda")
        ):
            raise InvalidParameterError(
                f"device must be 'cpu' or 'cuda' (or 'cuda:<n>'); got {self.device!r}"
            )
        if isinstance(self.max_bins, int | np.integer) and not isinstance(self.max_bins, bool):
            resolve_max_bins(self.max_bins, n_samples=0, n_events=0, n_nonevents=0, feature="")
        elif not (isinstance(self.max_bins, str) or callable(self.max_bins)):
            raise InvalidParameterError(
                f"max_bins must be an int >= 2, a rule name or a callable; got {self.max_bins!r}"
            )

    def _n_cells(self) -> int:
        """The histogram size: ``n_cells``, or with ``"auto"`` two cells per ``min_bin_share``."""
        if isinstance(self.n_cells, str):
            return auto_n_cells(float(self.min_bin_share))
        return int(self.n_cells)

    def _cell_booster(self) -> bool:
        """Whether the per-feature stumps are boosted in numpy on the cells (not by xgboost)."""
        if self.strategy != "per_feature" or self.booster == "xgboost":
            return False
        return self.booster == "cells" or str(self.device) == "cpu"

    def _rounds(self, n_rows: int | None = None) -> int:
        """Boosting rounds: ``n_estimators``, or with ``"auto"`` 50 per model; ``"joint"`` on
        ``n_rows`` rows (the rounds shared by all features): 50 per feature, the per-feature
        strategy's total, cut to :data:`_JOINT_WORK` histogram entries (rows x features x
        rounds) but not below 10 per feature (at least 50 rounds; without ``n_rows``: 10 per
        feature)."""
        if isinstance(self.n_estimators, str):
            if self.strategy == "joint":
                n_f = len(getattr(self, "features_", ()))
                low, high = max(50, 10 * n_f), max(50, 50 * n_f)
                if n_rows is None:
                    return low
                return int(min(high, max(low, _JOINT_WORK // max(1, n_rows * n_f))))
            return 50
        return int(self.n_estimators)

    def _nthread(self) -> int:
        if self.n_jobs is None:
            return 1
        if self.n_jobs == -1:
            return os.cpu_count() or 1
        if (
            isinstance(self.n_jobs, bool)
            or not isinstance(self.n_jobs, int | np.integer)
            or self.n_jobs < 1
        ):
            raise InvalidParameterError(
                f"n_jobs must be a positive int, -1 or None; got {self.n_jobs!r}"
            )
        return int(self.n_jobs)

    def _option(self, value: Any, name: str, default: Any) -> Any:
        if isinstance(value, Mapping):
            unknown = set(map(str, value)) - set(self.features_)
            if unknown:
                raise InvalidParameterError(f"{name} names columns not in X: {sorted(unknown)}")
            return {f: value.get(f, default) for f in self.features_}
        return dict.fromkeys(self.features_, value)

    # ------------------------------------------------------------------ fit
    @one_warning_per_call
    def fit(self, X: Any, y: Any, sample_weight: Any = None, *, weights: Any = None) -> StumpBinner:
        """Learn the bins of every column of ``X`` against the binary target ``y``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Numeric, ``category`` or ``bool`` columns; NaN allowed (missing bin).
        y : array-like of shape (n_samples,)
            Binary target: 0/1 or booleans (1/``True`` = event), or two labels with ``event``
            naming the event. A pandas ``y`` is matched to a pandas ``X`` by index label.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative row weights (xgboost weights and sampling weights in the WoE SEs).
        weights : {"sampling", "frequency"} or None, default None
            How ``sample_weight`` is read: ``"sampling"`` (survey/sampling weights; Kish
            effective sizes in the SEs), ``"frequency"`` (whole-number counts of identical
            rows, as in an aggregated table: each row is expanded into that many rows) or
            ``None`` (sampling, but weights that look like aggregated counts are refused with
            an error asking for one of the two; ``docs/numbers.md``, "Weights").

        Returns
        -------
        self
        """
        self._check_params()
        frame, yy, self.classes_, w = fit_inputs(self, X, y, sample_weight, self.event, weights)
        self.features_ = list(frame.columns)
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        specials = self._specials()
        trends = self._option(self.monotone_trend, "monotone_trend", "auto")
        w = _safe_weights(w)
        n_cells = self._n_cells()
        share = float(self.min_bin_share)
        keep = getattr(self, "_keep_cells", False)
        cols, comps, extras, cells, codes = [], [], [], {}, []
        unit = bool((w == 1).all())
        samples: dict[int, np.ndarray] = {}  # the quantile samples, shared by the columns

        def column(s: pd.Series) -> tuple[Any, ...]:
            """One column prepared, counted in its fine cells, and (per feature) freed."""
            f = s.name
            c = _prepare_column(s, f, specials[f], yy, w)
            found: list[np.ndarray] = []
            comp = _compress(
                c.z, yy, w, n_cells, seed, share, c.name, found, unit=unit, samples=samples
            )
            extra = self._extra_stats(c, yy, w)
            fb = code = None
            if keep:  # the fine cells and every row's code in them (cross-fit by subtraction)
                fb, code = self._cells_of_rows(s, c, comp, found[0])
            if self.strategy == "per_feature":  # the rows are counted: free them
                c = dataclasses.replace(
                    c, z=_NO_ROWS, special_codes=_NO_ROWS.astype(np.int64), missing=_NO_ROWS > 0
                )
            return c, comp, extra, fb, code

        series = [frame[f] for f in self.features_]
        workers = min(self._nthread(), len(series))
        if workers > 1:  # numpy's sorts and comparisons release the GIL
            with ThreadPoolExecutor(workers) as ex:
                done = list(ex.map(column, series))
        else:
            done = [column(s) for s in series]
        for f, (c, comp, extra, fb, code) in zip(self.features_, done, strict=True):
            cols.append(c)
            comps.append(comp)
            extras.append(extra)
            if keep:
                cells[f] = fb
                codes.append(code)
        # from here on (per feature), a function of the cell table and of its totals
        wmax = float(w.max())
        fine = _FineTable(
            cols,
            comps,
            extras,
            [float(w.sum())] * len(cols),
            [float(w[yy == 1].sum())] * len(cols),
            [(wmax, float(np.mean(w / wmax)))] * len(cols),
        )
        self._fit_cells(fine, trends, seed, rows=(yy, w))
        self._crossfit(frame, yy, w, seed)
        if keep:  # for cross-fitting by subtraction (StumpBinner._crossfit_cells)
            self._row_cells = (cells, codes, yy, w, seed)
        return self

    @staticmethod
    def _cells_of_rows(
        s: pd.Series, c: _Column, comp: tuple[np.ndarray, ...], regular_code: np.ndarray
    ) -> tuple[FeatureBins, np.ndarray]:
        """The fine cells of :meth:`fit` for one column (as :meth:`_cell_table` gives them) and
        every row's code in them (as ``FeatureBins.codes`` of the cells), from the prepared
        column and the cell index :func:`_compress` gave each non-missing value."""
        regular = ~np.isnan(c.z)
        if c.categorical:
            cats = c.categories or []
            present = set(cats)
            if isinstance(s.dtype, pd.CategoricalDtype):
                order = [v for v in s.cat.categories if v in present]
            else:
                order = sorted(present, key=str)
            pos = {v: i for i, v in enumerate(order)}
            # the column's z is the rank of its category; the cells are in the dtype's order
            rank_to_cell = np.asarray([pos[v] for v in cats], dtype=np.int64)
            fb = FeatureBins(
                c.name, categories=tuple((v,) for v in order), special_values=c.specials
            )
            reg = rank_to_cell[c.z[regular].astype(np.int64)]
        else:
            reps = np.unique(comp[0])  # the smallest value of every non-empty cell
            fb = FeatureBins(
                c.name,
                edges=tuple(c.value_of(v) for v in reps[1:]),
                special_values=c.specials,
                time_dtype=c.time_dtype,
            )
            if reps.size == int(comp[5].max()) + 1:  # every cell non-empty (cuts are values)
                reg = regular_code
            else:
                reg = right_codes(reps[1:], c.z[regular])
        R = fb.n_regular
        dtype = np.int16 if fb.n_bins < 2**15 else np.int32
        code = np.empty(c.z.size, dtype=dtype)
        code[regular] = reg
        sp = c.special_codes >= 0
        code[sp] = R + c.special_codes[sp]
        code[c.missing] = R + len(c.specials)
        return fb, code

    def _crossfit_cells(
        self, test_folds: Sequence[np.ndarray]
    ) -> tuple[dict[str, FeatureBins], list[dict[str, Any]]]:
        """Cross-fitting by subtraction, after :meth:`fit` with ``_keep_cells`` set.

        The rows were counted once in the fine cells of :meth:`fit` (cut on all rows, without
        the target); one table per test fold is built from those codes in one pass, and the
        bins of fold ``k`` are fitted (the cell-level path of :meth:`fit_counts`) on the sum of
        the other folds' tables: the table of the rows that train fold ``k``. Returns the
        cells and, per fold: ``bins`` (the fold's bins), ``stats`` (per feature, the
        training rows' :class:`BinStats` in those bins), ``lut`` (per feature, fine cell code
        -> the fold's bin code, ``UNSEEN`` for a category absent from its training rows) and
        ``own`` (per feature, the fold's own rows in its bins, as
        :func:`crossfit_counts` counts them).
        """
        cells, codes, yy, w, seed = self._row_cells
        K = len(test_folds)
        fold_of = np.full(len(yy), -1, dtype=np.int64)
        for k, te in enumerate(test_folds):
            fold_of[te] = k
        tables = []  # per feature: [fold, bin, (non-event, event), (n, sum_w, sum_w2)]
        y_i = yy.astype(np.int64)
        w2 = w * w
        for f, code in zip(cells, codes, strict=True):
            B = cells[f].n_bins
            key = (fold_of * B + code) * 2 + y_i
            m = K * B * 2
            t = np.stack(
                [
                    np.bincount(key, minlength=m).astype(float),
                    np.bincount(key, weights=w, minlength=m),
                    np.bincount(key, weights=w2, minlength=m),
                ],
                axis=-1,
            )
            tables.append(t.reshape(K, B, 2, 3))
        trends = self._option(self.monotone_trend, "monotone_trend", "auto")
        n_cells, share = self._n_cells(), float(self.min_bin_share)
        fits = []
        for k in range(K):
            # the training rows of fold k: the sum of the other folds (no cancellation)
            arrays = {
                f: np.delete(t, k, axis=0).sum(axis=0) for f, t in zip(cells, tables, strict=True)
            }
            b = clone(self)
            b.features_ = list(cells)
            fine = _fine_from_arrays(arrays, cells, n_cells, share)
            b._set_trends(fine, trends)
            fits.append((b, fine))
        # every fold's stumps in one call of the cell booster (or one xgboost fit per column)
        found = (
            self._boost_cells(fits, seed)
            if self._cell_booster()
            else [
                b._fit_stumps(fine.cols, fine.comps, None, fine.weight_scale, seed)
                for b, fine in fits
            ]
        )
        out = []
        for k, ((b, fine), splits) in enumerate(zip(fits, found, strict=True)):
            b._fit_cells(fine, trends, seed, light=True, splits=splits)
            luts, own = {}, {}
            for f, t in zip(cells, tables, strict=True):
                lut = _cell_lut(cells[f], b.bins_[f])
                luts[f] = lut
                ok = lut != UNSEEN
                nb = b.bins_[f].n_bins
                mine = np.zeros((nb, 2, 3))
                np.add.at(mine, lut[ok], t[k][ok])
                # events then non-events: sum w, sum w^2 (crossfit_counts' columns)
                own[f] = np.column_stack(
                    [mine[:, 1, 1], mine[:, 1, 2], mine[:, 0, 1], mine[:, 0, 2]]
                )
            out.append({"bins": b.bins_, "stats": b._final_stats, "lut": luts, "own": own})
        return cells, out

    @one_warning_per_call
    def fit_counts(
        self,
        table: CountTable,
        cells: Mapping[str, FeatureBins],
        *,
        by: str = "class",
        event: Any = 1,
    ) -> StumpBinner:
        """Learn the bins from a table of counts in fine cells, without the rows.

        The per-feature fit (``strategy="per_feature"``) reads the rows only to count them
        in quantile cells; everything after (stumps, monotone pooling, minimum shares,
        ``max_bins``, ``merge_alpha``) is a function of that table. A depth-1 stump's gradient
        and hessian sums are sums over cells, so boosting on one weighted entry per (cell,
        class) finds the splits found on the rows. This method takes such a table built
        anywhere (pandas, Polars, DuckDB, Spark: :func:`infodiv.scale.count_table` with
        ``bins=cells``), so data that does not fit in memory is binned where it lives.

        Parameters
        ----------
        table : CountTable
            Counts keyed by one key, ``by``, with the two classes as its values (``event``
            and the other). For every feature in ``cells``, its bins are the bins of
            ``cells[f]`` (codes of :meth:`FeatureBins.codes <infodiv.core.FeatureBins.codes>`:
            the fine cells, then one bin per special value, then the missing bin), each with
            ``n``, ``sum_w`` and ``sum_w2`` per class: exactly
            ``CountTable.from_frame(X, cells, by={by: y}, sample_weight=w)`` or
            ``infodiv.scale.count_table(data, cells, by=by, sample_weight=...)``.
        cells : dict of str -> FeatureBins
            The fine cells of every feature to bin, in output order. Numeric: ``edges`` are
            the cell boundaries, from a quantile sketch (about ``n_cells``, by default
            ``ceil(2 / min_bin_share)``, weighted quantiles; more cells give the stumps more
            candidate thresholds, as a larger ``n_cells`` does); every final edge is one of
            these boundaries. Categorical: ``categories`` with one category per group, in
            the order that breaks ties in event rate (the dtype's order, as
            :func:`infodiv.core.infer_bins` gives them); more than ``n_cells`` categories are
            grouped in quantile cells of their event-rate ranks. ``special_values`` become
            special bins (the binner's ``special_values`` parameter is not used here).
        by : str, default="class"
            The key of ``table`` holding the class.
        event : label, default=1
            The value of ``by`` that is the event (bad); the other value is the non-event.

        Returns
        -------
        self
            With ``bins_``, ``counts_``, ``woe_tables_``, ``splits_``, ``trend_``,
            ``device_`` and ``classes_`` (``[non-event, event]``) as :meth:`fit` sets them;
            ``iv_test_`` and the ``crossfit_*`` attributes are ``None`` (they need rows).

        Raises
        ------
        InvalidParameterError
            ``strategy="joint"`` (it needs rows), ``pvalue_cv`` set, a table not keyed by
            ``by`` with two classes including ``event``, or cells that do not match the
            table's bins.

        Notes
        -----
        **Identity with** :meth:`fit`. On the cells :meth:`fit` uses, ``fit_counts`` gives the
        same bins: :meth:`fit` computes its cells (:func:`infodiv.core.quantile_edges` of
        at most 200,000 sampled rows) and then runs the same code on the same sums. XGBoost
        is given one entry per non-empty (cell, class), with weight ``sum_w`` times ``n /
        sum w`` over the feature (mean 1 per row, as :meth:`fit` rescales its row weights),
        and a cell index as the value, so its gradient and hessian sums per histogram bin
        are those of the rows. With unit weights every number is the same; with other
        weights the totals are summed in another order, which can move a float32 weight or a
        share by one rounding unit, and changes a bin only at an exact tie. Numeric edges
        are the cell boundaries as given: when the cells are cut at observed values (as
        :func:`~infodiv.core.quantile_edges` cuts them), the same values :meth:`fit` reports.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from infodiv.core import CountTable, FeatureBins, quantile_edges
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"x": rng.normal(size=5000)})
        >>> y = (rng.random(5000) < 1 / (1 + np.exp(-2 * X["x"]))).astype(int)
        >>> cells = {"x": FeatureBins("x", edges=quantile_edges(X["x"], 40))}
        >>> table = CountTable.from_frame(X, cells, by={"class": y})
        >>> b = StumpBinner(max_bins=5, min_bin_share=0.05).fit_counts(table, cells)
        >>> b.bins_["x"] == StumpBinner(max_bins=5, min_bin_share=0.05).fit(X, y).bins_["x"]
        True
        """
        self._check_params()
        if self.strategy != "per_feature":
            raise InvalidParameterError(
                f"fit_counts needs strategy='per_feature' (the joint model needs the rows); "
                f"got strategy={self.strategy!r}"
            )
        if self.pvalue_cv is not None:
            raise InvalidParameterError(
                "fit_counts cannot cross-fit the IV test (pvalue_cv needs the rows); set "
                "pvalue_cv=None, or build one table per fold"
            )
        fine, self.classes_ = _fine_from_counts(
            table, cells, by, event, self._n_cells(), float(self.min_bin_share)
        )
        self.features_ = [c.name for c in fine.cols]
        self.n_features_in_ = len(self.features_)
        self.feature_names_in_ = np.asarray(self.features_, dtype=object)
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        trends = self._option(self.monotone_trend, "monotone_trend", "auto")
        self._fit_cells(fine, trends, seed)
        self._crossfit_none()
        return self

    def _cell_table(
        self, X: Any, y: Any, sample_weight: Any = None, *, weights: Any = None
    ) -> tuple[dict[str, FeatureBins], CountTable]:
        """The cells :meth:`fit` uses on these rows and the rows' counts in them.

        ``fit_counts(*self._cell_table(X, y, w)[::-1])`` gives the bins of ``fit(X, y, w)``
        (the target coded 0/1, 1 the event).
        """
        self._check_params()
        frame, yy, _, w = fit_inputs(self, X, y, sample_weight, self.event, weights)
        self.features_ = list(frame.columns)
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        specials = self._specials()
        w = _safe_weights(w)
        n_cells, share = self._n_cells(), float(self.min_bin_share)
        cells: dict[str, FeatureBins] = {}
        unit = bool((w == 1).all())
        samples: dict[int, np.ndarray] = {}
        for f in self.features_:
            c = _prepare_column(frame[f], f, specials[f], yy, w)
            if c.categorical:
                s = frame[f]
                present = set(c.categories or ())
                if isinstance(s.dtype, pd.CategoricalDtype):
                    order = [v for v in s.cat.categories if v in present]
                else:
                    order = sorted(present, key=str)
                cells[f] = FeatureBins(
                    f, categories=tuple((v,) for v in order), special_values=c.specials
                )
                continue
            reps = _compress(c.z, yy, w, n_cells, seed, share, c.name, unit=unit, samples=samples)[
                0
            ]
            cuts = np.unique(reps)[1:]  # the smallest value of every non-empty cell but the first
            cells[f] = FeatureBins(
                f,
                edges=tuple(c.value_of(v) for v in cuts),
                special_values=c.specials,
                time_dtype=c.time_dtype,
            )
        table = CountTable.from_frame(
            frame, cells, by={"class": yy}, sample_weight=w, weights="sampling"
        )
        return cells, table

    def _fit_cells(
        self,
        fine: _FineTable,
        trends: Mapping[str, Any],
        seed: int,
        rows: tuple[np.ndarray, np.ndarray] | None = None,
        light: bool = False,
        splits: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
    ) -> None:
        """Stumps, merges and final counts from the cell table (``rows``: joint strategy only).

        ``light``: only ``bins_``, ``trend_`` and ``_final_stats`` (the class statistics of
        the final bins), for the folds of a cross-fit; ``splits``: the stumps' thresholds when
        already boosted (after :meth:`_set_trends`).

        With ``strategy="per_feature"`` nothing here reads a row: every result is a function of
        ``fine`` (cells, special and missing bins, totals, weight scale), which is what makes
        :meth:`fit` and :meth:`fit_counts` on the same cells agree.
        """
        cols, comps = fine.cols, fine.comps
        if splits is None:
            self._set_trends(fine, trends)
            splits = self._fit_stumps(cols, comps, rows, fine.weight_scale, seed)
        self.bins_: dict[str, FeatureBins] = {}
        final: dict[str, BinStats] = {}
        kept = []
        shown = [sp[0] for sp in splits]
        for j, c in enumerate(cols):
            split, gain, _ = splits[j]
            total_w, n_events = fine.total_w[j], fine.n_events[j]
            mb = resolve_max_bins(
                self.max_bins,
                n_samples=total_w,
                n_events=n_events,
                n_nonevents=total_w - n_events,
                feature=c.name,
            )
            extra = fine.extras[j]
            auto = trends[c.name] == "auto" and not c.categorical
            # edges are cell values (the joint strategy's splits are snapped to them too):
            # the bins' sums are sums of cells, no pass over the rows
            r = comps[j]
            sums = (r[0], r[1], r[2], r[3], r[4])
            edges, st, self.trend_[c.name] = _select_edges(
                split,
                gain,
                sums,
                name=c.name,
                max_bins=mb,
                min_share=float(self.min_bin_share),
                direction=self.trend_[c.name],
                merge_alpha=self.merge_alpha,
                total_w=total_w,
                extra=extra,
                labels_of=cast(
                    Callable[[list[float]], list[str]],
                    lambda e, c=c: self._make_bins(c, e).labels,
                ),
                auto=auto,
            )
            self.bins_[c.name] = self._make_bins(c, edges)
            final[c.name] = st.stack(extra)
            kept.append(np.isin(split, edges))
            if c.values is not None or c.edge_values is not None:  # shown as values
                shown[j] = np.asarray([float(c.value_of(v)) for v in split], dtype=float)
        if light:
            self._final_stats = final
            return
        self.splits_ = pd.DataFrame(
            {
                "feature": np.repeat(self.features_, [len(sp[0]) for sp in splits]),
                "split": np.concatenate(shown),
                "gain": np.concatenate([sp[1] for sp in splits]),
                "trees": np.concatenate([sp[2] for sp in splits]),
                "kept": np.concatenate(kept),
            }
        )
        # the counts of the final bins were carried through the merges: no second pass
        self.counts_ = _count_table(final, {f: b.labels for f, b in self.bins_.items()})
        from infodiv.credit import LazyWoETables  # upward hook: the binner's woe_tables_

        self.woe_tables_ = LazyWoETables(self.counts_, self.bins_)

    def _set_trends(self, fine: _FineTable, trends: Mapping[str, Any]) -> None:
        """``trend_`` (the direction of each column) and the stumps' monotone constraints."""
        self.trend_ = {
            c.name: _trend_direction(c, trends[c.name], comp)
            for c, comp in zip(fine.cols, fine.comps, strict=True)
        }
        # "auto" numeric columns: unconstrained stumps, the trend is decided on the bins
        self._constraints = {
            c.name: 0 if trends[c.name] == "auto" and not c.categorical else self.trend_[c.name]
            for c in fine.cols
        }

    def _boost_cells(
        self, fits: Sequence[tuple[StumpBinner, _FineTable]], seed: int
    ) -> list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
        """The cell booster on the columns of several fits at once (one call: its per-round
        cost is paid once); each fit's trends are set. Returns the thresholds per fit."""
        tables, keep, cons, sizes = [], [], [], []
        for b, fine in fits:
            for j, c in enumerate(fine.cols):
                reps, yc, _, wc, _, cell = fine.comps[j]
                pos = wc > 0  # cells of zero weight carry no gradient
                a, m = fine.weight_scale[j]
                tables.append((cell[pos], yc[pos], ((wc[pos] / a) / m).astype(np.float32)))
                keep.append((cell[pos], reps[pos]))
                cons.append(b._constraints[c.name])
            sizes.append(len(fine.cols))
        p = self._params(1, seed, [0])
        found = boost_cells(
            tables,
            n_estimators=self._rounds(),
            learning_rate=float(self.learning_rate),
            constraints=cons,
            reg_lambda=float(p["lambda"]),
            min_child_weight=float(p["min_child_weight"]),
        )
        snapped = [
            (_snap(sp, cell, reps), g, t)
            for (sp, g, t), (cell, reps) in zip(found, keep, strict=True)
        ]
        out, at = [], 0
        for n in sizes:
            out.append(snapped[at : at + n])
            at += n
        for b, _ in fits:
            b.device_ = "cpu"
        return out

    def _crossfit_none(self) -> None:
        self.iv_test_: pd.DataFrame | None = None
        self.crossfit_bins_: list[dict[str, FeatureBins]] | None = None
        self.crossfit_counts_: list[dict[str, np.ndarray]] | None = None
        self.crossfit_test_rows_: list[np.ndarray] | None = None

    def _crossfit(self, frame: pd.DataFrame, y: np.ndarray, w: np.ndarray, seed: int) -> None:
        """With ``pvalue_cv``: bins per fold on the other folds, and the cross-fitted test."""
        self._crossfit_none()
        if self.pvalue_cv is None:
            return
        from sklearn.base import clone
        from sklearn.model_selection import StratifiedKFold

        k = int(self.pvalue_cv)
        n_minor = int(min((y == 1).sum(), (y == 0).sum()))
        if n_minor < k:
            raise InvalidParameterError(
                f"pvalue_cv={k} folds need at least {k} rows of each class; the smaller class "
                f"has {n_minor} (lower pvalue_cv or set it to None)"
            )
        folds = list(StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))
        # the same parameters on the other folds (y is coded 0/1 here; no nested cross-fit)
        proto = clone(self).set_params(pvalue_cv=None, event=None, random_state=seed)
        fold_bins = []
        for tr, _ in folds:
            b = clone(proto).fit(frame.iloc[tr], y[tr], sample_weight=w[tr])
            fold_bins.append(b.bins_)
        self.crossfit_bins_ = fold_bins
        self.crossfit_test_rows_ = [te for _, te in folds]
        self.crossfit_counts_ = crossfit_counts(frame, y, folds, fold_bins, w)
        self.iv_test_ = crossfit_iv_test(self.crossfit_counts_).loc[self.features_]

    def _specials(self) -> dict[str, tuple[Any, ...]]:
        sv = self.special_values
        if sv is None:
            return dict.fromkeys(self.features_, ())
        if isinstance(sv, Mapping):
            out = self._option(sv, "special_values", ())
            return {f: tuple(v) for f, v in out.items()}
        if isinstance(sv, str) or not isinstance(sv, Sequence | np.ndarray):
            raise InvalidParameterError(
                f"special_values must be a sequence or a dict of sequences; got {sv!r}"
            )
        return dict.fromkeys(self.features_, tuple(sv))

    @staticmethod
    def _extra_stats(c: _Column, y: np.ndarray, w: np.ndarray) -> BinStats:
        """Class statistics of the special bins then the missing bin."""
        groups = [c.special_codes == i for i in range(len(c.specials))] + [c.missing]
        out = BinStats.zeros(len(groups))
        for g, sel in enumerate(groups):
            if not sel.any():  # an empty group: zeros
                continue
            for k, cls in enumerate((1, 0)):  # events (bad) then non-events (good)
                m = sel & (y == cls)
                out.table[g, 3 * k : 3 * k + 3] = (m.sum(), w[m].sum(), (w[m] ** 2).sum())
        return out

    @staticmethod
    def _make_bins(c: _Column, edges: list[float]) -> FeatureBins:
        if not c.categorical:  # ranks of an integer column beyond 2**53 read back exactly
            return FeatureBins(
                c.name,
                edges=tuple(c.value_of(e) for e in edges),
                special_values=c.specials,
                time_dtype=c.time_dtype,
            )
        assert c.categories is not None  # _prepare_column sets them on every categorical column
        cuts = np.searchsorted(np.asarray(edges), np.arange(len(c.categories)), side="right")
        groups = tuple(
            tuple(cat for cat, k in zip(c.categories, cuts, strict=True) if k == g)
            for g in range(len(edges) + 1)
        )
        return FeatureBins(c.name, categories=groups, special_values=c.specials)

    # ------------------------------------------------------------------ xgboost
    def _params(self, nthread: int, seed: int, constraints: Sequence[int]) -> dict[str, Any]:
        return _params(
            learning_rate=self.learning_rate,
            n_cells=self._n_cells(),
            nthread=nthread,
            seed=seed,
            device=self.device,
            constraints=constraints,
        )

    def _train(self, Z: np.ndarray, y: np.ndarray, w: np.ndarray, params: dict[str, Any]) -> Any:
        return _train(Z, y, w, params, self._rounds())

    def _check_device(self, booster: Any) -> None:
        self.device_ = booster_device(booster)
        _check_device(str(self.device), self.device_, self.strict_device)

    def _probe_device(self) -> None:
        """With ``strict_device``, fail before the real fit if the device is not usable."""
        used = _probe_device(
            self.device,
            self.strict_device,
            learning_rate=self.learning_rate,
            n_cells=self._n_cells(),
            n_estimators=self._rounds(),
        )
        if used is not None:
            self.device_ = used

    def _fit_stumps(
        self,
        cols: list[_Column],
        comps: Sequence[tuple[np.ndarray, ...]],
        rows: tuple[np.ndarray, np.ndarray] | None,
        scales: Sequence[tuple[float, float]],
        seed: int,
    ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        nthread = self._nthread()
        F = len(cols)
        if not self._cell_booster():
            self._probe_device()
        # xgboost gets weights of mean 1 (a cell of weight sum wc gets (wc / a) / b, with
        # (a, b) = (max w, mean(w / max w)) from rows, (1, sum w / n) from a table), so
        # weights of 1e200 or 1e-200 neither overflow nor vanish in its float32 sums; with no
        # L2 penalty and a negligible min_child_weight (see _xgb._params) the splits do not
        # depend on the scale of the weights at all
        if self.strategy == "joint":
            assert rows is not None  # the joint strategy fits on rows
            y, w = rows
            wmax = float(w.max())
            wmean = float(np.mean(w / wmax))
            # each column as the index of its quantile cell (the cells of "per_feature", so
            # that values holding the minimum share keep a cell of their own), every cell a
            # histogram bin of its own
            Z, values = _cell_codes(cols, comps)
            cons = [self._constraints[c.name] for c in cols]
            params = self._params(nthread, seed, cons)
            params["max_bin"] = max(int(params["max_bin"]), *(v.size for v in values))
            # xgboost quantises Z by the known cell cuts (no sketch of the rows)
            booster = _train(
                Z, y, (w / wmax) / wmean, params, self._rounds(y.size), [v.size for v in values]
            )
            self._check_device(booster)
            found = _splits_of(booster, F)
            return [
                (_snap(sp, np.arange(u.size, dtype=float), u), g, t)
                for (sp, g, t), u in zip(found, values, strict=True)
            ]

        if self._cell_booster():
            # xgboost's depth-1 hist boosting, in numpy on every cell table at once (_cellboost)
            fine = _FineTable(cols, comps, [], [], [], list(scales))
            return self._boost_cells([(self, fine)], seed)[0]

        def one(j: int) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], Any]:
            c = cols[j]
            reps, yc, _, wc, _, cell = comps[j]
            pos = wc > 0  # cells of zero weight carry no gradient
            reps, yc, wc, cell = reps[pos], yc[pos], wc[pos], cell[pos]
            params = self._params(1, seed, [self._constraints[c.name]])
            # one histogram bin per cell (kept values may add cells beyond n_cells)
            params["max_bin"] = max(int(params["max_bin"]), int(cell.max()) + 1)
            a, m = scales[j]
            b = self._train(cell[:, None], yc, (wc / a) / m, params)
            split, gain, trees = _splits_of(b, 1)[0]
            return (_snap(split, cell, reps), gain, trees), b

        workers = min(nthread, F)
        if workers > 1:
            with ThreadPoolExecutor(workers) as ex:
                out = list(ex.map(one, range(F)))
        else:
            out = [one(j) for j in range(F)]
        self._check_device(out[0][1])
        return [o[0] for o in out]

    # ------------------------------------------------------------------ transform
    def _codes(self, x: pd.Series, f: str, warn: bool = True) -> np.ndarray:
        codes = self.bins_[f].codes(x)
        if warn and (codes == UNSEEN).any():
            bad = pd.unique(x[codes == UNSEEN].astype(object))[:5].tolist()
            n_bad = int((codes == UNSEEN).sum())
            warn_feature(
                f"column {f!r}: {n_bad} rows hold categories not seen in "
                f"fit (e.g. {bad}); their bin index is {UNSEEN} (label 'unseen')",
                UnseenCategoryWarning,
                feature=str(f),
                head=f"rows hold categories not seen in fit; their bin index is {UNSEEN} "
                "(label 'unseen')",
                detail=f"column {f!r}: {n_bad} rows (e.g. {bad})",
                stacklevel=3,
            )
        return codes

    @one_warning_per_call
    def transform(self, X: Any) -> np.ndarray:
        """Bin index (``output="index"``; ``-1`` = unseen category) or label of every value."""
        check_is_fitted(self, "bins_")
        frame = as_frame(self, X, reset=False)
        codes = np.column_stack([self._codes(frame[f], f) for f in self.features_])
        if self.output == "index":
            return codes
        out = np.empty(codes.shape, dtype=object)
        for j, f in enumerate(self.features_):
            labels = np.asarray([*self.bins_[f].labels, "unseen"], dtype=object)
            out[:, j] = labels[codes[:, j]]  # code -1 picks "unseen"
        return out

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Output names: the input column names."""
        check_is_fitted(self, "bins_")
        if input_features is not None:
            return _check_feature_names_in(self, input_features)
        return np.asarray(self.features_, dtype=object)

    # ------------------------------------------------------------------ results
    def summary(self) -> pd.DataFrame:
        """One row per feature: the IV of its final bins, then its kind, bin count and trend.

        Returns
        -------
        pandas.DataFrame
            Indexed by feature. The IV's ``estimate, se, ci_low, ci_high, statistic, df,
            pvalue`` come first (:func:`infodiv.core.summarize` of the tables' ``iv``
            results), then ``pvalue_method``, the rest of its summary, then ``kind`` (numeric
            or categorical), ``n_regular_bins`` and ``trend`` (increasing, decreasing or none).
            ``ci_note`` says that the interval is in-sample. With ``pvalue_cv``,
            ``statistic, df, pvalue`` are the cross-fitted test
            (``pvalue_method`` ``"cross-fit"``, valid after the binning); without it they are
            in-sample (``"in-sample"``: the bins were chosen on these rows, so the test rejects
            too often, 12.6-13.6% at 5% on pure noise). The IV estimate and its interval are
            always those of the final bins on all rows (in-sample: they do not account for
            the choice of the bins).
        """
        check_is_fitted(self, "bins_")
        ivs = summarize({f: self.woe_tables_[f].iv for f in self.bins_})
        test = getattr(self, "iv_test_", None)
        if test is not None:  # the cross-fitted test replaces the in-sample one
            for col in ("statistic", "df", "pvalue"):
                ivs[col] = test.loc[ivs.index, col].to_numpy()
        method = CROSS_FIT if test is not None else IN_SAMPLE
        if "pvalue_method" in ivs.columns:
            ivs["pvalue_method"] = method
        else:
            ivs.insert(cast(int, ivs.columns.get_loc("pvalue")) + 1, "pvalue_method", method)
        ivs["ci_note"] = _with_note(ivs.get("ci_note"), CI_NOTE, len(ivs))
        info = pd.DataFrame(
            {
                "kind": ["numeric" if b.is_numeric else "categorical" for b in self.bins_.values()],
                "n_regular_bins": [b.n_regular for b in self.bins_.values()],
                "trend": [
                    {1: "increasing", -1: "decreasing", 0: "none"}[self.trend_[f]]
                    for f in self.bins_
                ],
            },
            index=pd.Index(list(self.bins_), name="feature"),
        )
        return ivs.join(info)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        from sklearn.utils._tags import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.target_tags.required = True
        tags.transformer_tags.preserves_dtype = []
        # binary targets only: estimator checks then draw two-class targets
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags


def _cell_lut(cells: FeatureBins, bins: FeatureBins) -> np.ndarray:
    """Per fine cell code of ``cells``, the code of ``bins`` (learned on those cells) it falls in.

    Numeric: every edge of ``bins`` is a cell boundary, so a cell lies in one bin; a category
    that no group of ``bins`` holds gets ``UNSEEN``; special and missing bins map to theirs.
    """
    R = cells.n_regular
    lut = np.full(cells.n_bins, UNSEEN, dtype=np.int64)
    if cells.categories is not None:
        assert bins.categories is not None
        group = {v: g for g, grp in enumerate(bins.categories) for v in grp}
        for i, (v,) in enumerate(cells.categories):
            lut[i] = group.get(v, UNSEEN)
    else:
        pos = {e: i for i, e in enumerate(cells.edges or ())}
        at = np.sort(np.asarray([pos[e] for e in bins.edges or ()], dtype=np.int64))
        # cell k >= 1 starts at cells.edges[k - 1]: its bin counts the edges at or before it
        lut[0] = 0
        lut[1:R] = np.searchsorted(at, np.arange(R - 1), side="right")
    lut[R:] = bins.n_regular + np.arange(cells.n_bins - R)
    return lut


def _cell_codes(
    cols: Sequence[_Column], comps: Sequence[tuple[np.ndarray, ...]]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The joint strategy's xgboost input: every row's quantile-cell index per column.

    Returns the ``(n_rows, n_features)`` float32 matrix (NaN for missing and special values,
    which stay out of the stumps) and each column's cell values (the smallest value of each
    cell, increasing), cell ``k`` holding the values in ``[values[k], values[k + 1])``. One
    :func:`~infodiv.core.right_codes` per column written in place, in column-major order (contiguous per
    column; xgboost reads the strides).
    """
    n = cols[0].z.size if cols else 0
    Z = np.empty((n, len(cols)), dtype=np.float32, order="F")
    values = []
    for j, c in enumerate(cols):
        reps = np.unique(comps[j][0])
        # every non-missing value is at least the first cell value, the column's minimum
        code = Z[:, j]
        code[:] = right_codes(reps[1:], c.z)
        code[np.isnan(c.z)] = np.nan
        values.append(reps)
    return Z, values


def _fine_from_counts(
    table: Any, cells: Any, by: str, event: Any, n_cells: int, min_share: float
) -> tuple[_FineTable, np.ndarray]:
    """The :class:`_FineTable` of a count table in fine cells (see ``StumpBinner.fit_counts``).

    Returns it with the classes ``[non-event, event]``.
    """
    if not isinstance(table, CountTable):
        raise InvalidParameterError(
            f"table must be an infodiv.core.CountTable; got {type(table).__name__}"
        )
    if not isinstance(cells, Mapping) or not cells:
        raise InvalidParameterError(
            "cells must be a non-empty dict {feature: FeatureBins} of the table's fine cells; "
            f"got {cells!r:.80}"
        )
    if table.keys != (by,):
        raise InvalidParameterError(
            f"table must be keyed by {by!r} alone (the class); its keys are {list(table.keys)} "
            "(pass by=<the class key>, or sum the other keys out)"
        )
    values = table.key_values(by)
    if len(values) != 2 or event not in values:
        raise InvalidParameterError(
            f"table's key {by!r} must hold two classes including event={event!r}; got {values}"
        )
    other = next(v for v in values if v != event)
    arrays = table.cell_arrays({by: [other, event]})
    for f, fb in cells.items():
        f = str(f)
        if not isinstance(fb, FeatureBins):
            raise InvalidParameterError(
                f"cells[{f!r}] must be a FeatureBins; got {type(fb).__name__}"
            )
        if f not in arrays:
            raise InvalidParameterError(f"feature {f!r} of cells is not in the count table")
    fine = _fine_from_arrays(
        {str(f): np.asarray(arrays[str(f)]) for f in cells}, cells, n_cells, min_share
    )
    return fine, np.asarray([other, event])


def _fine_from_arrays(
    arrays: Mapping[str, np.ndarray],
    cells: Mapping[str, FeatureBins],
    n_cells: int,
    min_share: float,
) -> _FineTable:
    """The :class:`_FineTable` of per-feature arrays ``[bin, (non-event, event), (n, sum_w,
    sum_w2)]`` in the bins of ``cells`` (checked by :func:`_fine_from_counts`, or built by
    ``StumpBinner._crossfit_cells``)."""
    cols, comps, extras, tot, nev, scales = [], [], [], [], [], []
    for f, fb in cells.items():
        f = str(f)
        a = arrays[f]  # [bin, (non-event, event), (n, sum_w, sum_w2)]
        if a.shape[0] != fb.n_bins:
            raise InvalidParameterError(
                f"the count table has {a.shape[0]} bins for {f!r}; cells[{f!r}] has "
                f"{fb.n_bins} ({fb.n_regular} cells, {len(fb.special_values)} special, 1 "
                "missing): build the table with these cells"
            )
        R = fb.n_regular
        ex = BinStats(np.concatenate([a[R:, 1], a[R:, 0]], axis=1))
        reg = a[:R]  # [cell, class, stat]
        name_pos = np.arange(R)
        categories = None
        edge_values = None
        if fb.categories is not None:
            if any(len(g) != 1 for g in fb.categories):
                raise InvalidParameterError(
                    f"cells[{f!r}] must hold one category per group (fine cells); got "
                    f"groups {[g for g in fb.categories if len(g) != 1][:3]}"
                )
            # ranks by smoothed event rate, ties in the order of the cells (as fit does)
            seen = (reg[:, 0, 0] + reg[:, 1, 0]) > 0
            if seen.sum() < 2:
                raise InvalidParameterError(
                    f"column {f!r} has fewer than two categories with rows in the table"
                )
            reg, name_pos = reg[seen], name_pos[seen]
            bad, tot_c = reg[:, 1, 1], reg[:, 0, 1] + reg[:, 1, 1]
            prior = bad.sum() / tot_c.sum()
            rate = (bad + prior) / (tot_c + 1.0)
            order = np.lexsort((np.arange(len(rate)), rate))
            reg = reg[order]
            categories = [fb.categories[i][0] for i in name_pos[order]]
            z = np.arange(len(order), dtype=float)
            if len(order) > n_cells:  # quantile cells of the ranks, as fit cuts them
                wz = reg[:, 0, 1] + reg[:, 1, 1]
                cuts = np.asarray(
                    quantile_edges(z[wz > 0], n_cells, wz[wz > 0], f, min_share=min_share or None)
                )
                code = np.searchsorted(cuts, z, side="right")
                reps = np.concatenate([[0.0], cuts])
            else:
                code, reps = np.arange(len(order)), z
        else:
            if R < 2 or (reg[:, :, 0].sum(axis=1) > 0).sum() < 2:
                raise InvalidParameterError(
                    f"column {f!r} has fewer than two non-empty cells in the table (constant)"
                )
            edges = tuple(fb.edges or ())
            edge_values = (edges[0], *edges)  # cell k >= 1 starts at edges[k - 1]
            code, reps = np.arange(R), np.arange(R, dtype=float)
        K = reps.size
        # one entry per non-empty (cell, class), ordered as _compress orders them
        st = np.zeros((K, 2, 3))
        np.add.at(st, code, reg)
        flat = st.reshape(2 * K, 3)  # index cell * 2 + class
        keep = np.flatnonzero(flat[:, 0] > 0)
        cell = keep // 2
        comps.append((reps[cell], keep % 2, *(flat[keep, i] for i in range(3)), cell.astype(float)))
        col = _Column(
            f,
            fb.categories is not None,
            np.empty(0),
            np.empty(0, dtype=np.int64),
            tuple(fb.special_values),
            np.empty(0, dtype=bool),
            categories=categories,
            time_dtype=fb.time_dtype,
            edge_values=edge_values,
        )
        cols.append(col)
        extras.append(ex)
        w_all = float(a[:, :, 1].sum())
        tot.append(w_all)
        nev.append(float(a[:, 1, 1].sum()))
        scales.append((1.0, w_all / float(a[:, :, 0].sum())))
    return _FineTable(cols, comps, extras, tot, nev, scales)
