"""``WoEEncoder``: replace every value by the weight of evidence of its bin.

Bins come from :class:`~infodiv.binning.StumpBinner` by default, from any binner that
exposes ``bins_`` (a dict of :class:`~infodiv.core.FeatureBins`) after ``fit(X, y)``, or from
given bins (``bins=``: edges, counts of quantile bins or ``FeatureBins`` per column). WoE, its
SE and the IV of each feature come from :mod:`infodiv.credit._woe` (one count table, one divergence
engine).

Cross-fitting
-------------
``fit_transform(X, y)`` encodes each training row with bins *and* WoE learned on the other
folds (``cv`` stratified folds), as scikit-learn's ``TargetEncoder`` does, so a downstream model
never sees a row's own target through its encoding. It therefore differs from
``fit(X, y).transform(X)``, which encodes the training rows with the bins and WoE learned on all
of them (optimistic in-sample values). The fitted state (``bins_``, ``woe_tables_``, ``iv_``) is
always the one learned on all rows and is what :meth:`transform` applies to new data.

Values with no WoE
------------------
At :meth:`transform`, categories not seen in ``fit`` and values falling in a bin that had no
training row (typically missing values when ``fit`` saw none, or a special value never
observed) get ``unknown_value`` (default ``0.0``: no evidence either way, i.e. the training
population's odds), with an :class:`~infodiv.exceptions.UnseenCategoryWarning` naming the column
and the number of rows (filter that class to silence it).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from infodiv._param_validation import Interval, StrOptions, validate_estimator_params
from infodiv._sklearn import as_frame, fit_inputs
from infodiv._validation import check_alpha, one_warning_per_call, warn_feature
from infodiv.binning import StumpBinner, crossfit_counts, crossfit_iv_test
from infodiv.core import UNSEEN, CountTable, FeatureBins, frame_bins
from infodiv.credit._woe import LazyWoETables, _feature_rows
from infodiv.exceptions import InvalidParameterError, UnseenCategoryWarning, ZeroCellWarning

__all__ = ["WoEEncoder"]

# what the test columns of ``iv_`` hold (its ``pvalue_method`` column)
IN_SAMPLE = "in-sample"  # bins chosen on these rows: too many rejections, not for selection
GIVEN_BINS = "given bins"  # bins not chosen on y: the chi-square test is valid as it stands
CI_NOTE = "in-sample: bins chosen on these rows; the interval does not account for that choice"


class WoEEncoder(TransformerMixin, BaseEstimator):
    """Weight-of-evidence encoder with cross-fitted ``fit_transform`` (see the module docstring).

    Parameters
    ----------
    binner : estimator, optional
        Learns the bins: ``fit(X, y[, sample_weight])`` then ``bins_``. Default
        ``StumpBinner(random_state=random_state)``. It is cloned, never modified.
    bins : int, dict or None
        Given bins instead of a binner: an int (that many quantile bins for every numeric
        column, categories for categorical ones) or a dict ``{column: FeatureBins | edges | int
        | "values" | None}`` (columns not named get 10 quantile bins; ``"values"``/``None``:
        each distinct value is a bin; a key that is no column is an error). Exclusive with
        ``binner``.
    cv : int, CV splitter or iterable of (train, test), default=5
        Folds of the cross-fitting in :meth:`fit_transform` (an int: stratified folds).
    shuffle : bool, default=True
        Shuffle rows before making the folds.
    random_state : int, RandomState or None
        Seeds the folds (and the default binner).
    unknown_value : float, default=0.0
        Encoding of values whose bin has no WoE (unseen categories, bins empty in ``fit``); a
        finite number (NaN or inf would pass silently into a downstream model).
    woe_sign : {"bad/good", "good/bad"}, default="bad/good"
        ``ln(event share / non-event share)`` (higher = riskier) or its negative.
    alpha : float, default=0.05
        Level of the WoE and IV intervals.
    event : label, optional
        The event (bad) class of ``y``. Not needed for 0/1 targets (integers, floats, nullable
        integers) or booleans, where 1/``True`` is the event; required for any other pair of
        labels (e.g. ``event="bad"`` with ``"good"``/``"bad"``). Checked in ``fit``.

    Attributes
    ----------
    bins_ : dict of str -> FeatureBins
    woe_tables_ : mapping of str -> WoETable
        WoE tables with SEs and CIs (each built on first access).
    woe_values_ : dict of str -> ndarray
        WoE by bin code (NaN for bins without training rows).
    iv_ : DataFrame
        IV of every feature, the frame of :func:`~infodiv.credit.iv_summary` (``estimate``,
        ``se``, ``ci_low``, ``ci_high``, ``statistic``, ``df``, ``pvalue``,
        ``pvalue_method``, ``iv``...), sorted by IV. ``pvalue_method`` says which test
        ``statistic, df, pvalue`` hold: ``"cross-fit"`` after :meth:`fit_transform` with a
        binner (each fold's rows counted in the bins learned on the other folds: valid after
        the binning), or after :meth:`fit` with ``StumpBinner(pvalue_cv=k)``; ``"in-sample"``
        after :meth:`fit` with a binner otherwise (the bins were chosen on these rows: the
        test rejects too often, 12.6-13.6% at 5% on pure noise; do not select on it);
        ``"given bins"`` with ``bins=`` (valid as it stands). The IV estimate and interval are
        those of all rows in the final bins; with a binner, ``ci_note`` (last) says they are
        in-sample (they do not account for the choice of the bins).
    crossfit_bins_, crossfit_counts_ : list or None
        With a cross-fitted test, per fold: the bins learned on the other folds and the counts
        of the fold's rows in them (see :func:`~infodiv.binning.crossfit_counts`).
    counts_ : CountTable
    binner_ : estimator or None
    classes_ : ndarray
        The two target labels; the event is ``classes_[1]``.
    n_features_in_, feature_names_in_

    Examples
    --------
    >>> from infodiv.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> y = df.pop("default")
    >>> enc = WoEEncoder(random_state=0).set_output(transform="pandas")
    >>> Z = enc.fit_transform(df, y)          # cross-fitted
    >>> Z.shape, enc.iv_.index[0]
    ((1000, 20), 'status_of_existing_checking_account')
    """

    def __init__(
        self,
        binner: Any = None,
        bins: int | Mapping[str, Any] | None = None,
        cv: int = 5,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        unknown_value: float = 0.0,
        woe_sign: Literal["bad/good", "good/bad"] = "bad/good",
        alpha: float = 0.05,
        event: Any = None,
    ) -> None:
        self.binner = binner
        self.bins = bins
        self.cv = cv
        self.shuffle = shuffle
        self.random_state = random_state
        self.unknown_value = unknown_value
        self.woe_sign = woe_sign
        self.alpha = alpha
        self.event = event

    #: Declarative constraints of the constructor parameters, checked first in ``fit``.
    _parameter_constraints: dict[str, list[Any]] = {
        "binner": ["no_validation"],
        "bins": [Interval(int, 1, None, closed="left"), StrOptions({"values"}), Mapping, None],
        "cv": ["no_validation"],  # an int >= 2, a splitter or index pairs: _check_params
        "shuffle": ["boolean"],
        "random_state": ["no_validation"],
        "unknown_value": [Interval(float, -math.inf, math.inf, closed="neither")],
        "woe_sign": [StrOptions({"bad/good", "good/bad"})],
        "alpha": [Interval(float, 0, 1, closed="neither")],
        "event": ["no_validation"],
    }

    # ------------------------------------------------------------------ fit
    def _check_params(self) -> None:
        validate_estimator_params(self)
        if self.binner is not None and self.bins is not None:
            raise InvalidParameterError("give either binner or bins, not both")
        _check_cv(self.cv)
        if self.woe_sign not in ("bad/good", "good/bad"):
            raise InvalidParameterError(
                f"woe_sign must be 'bad/good' or 'good/bad'; got {self.woe_sign!r}"
            )
        check_alpha(self.alpha)

    @one_warning_per_call
    def fit(self, X: Any, y: Any, sample_weight: Any = None, *, weights: Any = None) -> WoEEncoder:
        """Learn bins and WoE on all rows.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Binary target: 0/1 or booleans (1/``True`` = event), or two labels with ``event``
            naming the event. A pandas ``y`` is matched to a pandas ``X`` by index label.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative row weights.
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
        self._fit_frame(frame, yy, w, sample_weight is not None)
        return self

    def _fit_frame(
        self,
        frame: pd.DataFrame,
        y: np.ndarray,
        w: np.ndarray,
        weighted: bool,
        fold: bool = False,
        own_folds: bool = False,
        keep_cells: bool = False,
    ) -> None:
        self.features_ = list(frame.columns)
        counts: CountTable | None = None
        test: pd.DataFrame | None = None
        self.crossfit_bins_: list[dict[str, FeatureBins]] | None = None
        self.crossfit_counts_: list[dict[str, np.ndarray]] | None = None
        if self.bins is not None:
            self.binner_ = None
            bins: int | Mapping[str, Any] | None = self.bins
            if isinstance(bins, Mapping):
                unknown = set(map(str, bins)) - set(self.features_)
                if unknown:
                    raise InvalidParameterError(f"bins names columns not in X: {sorted(unknown)}")
                bins = {str(k): v for k, v in bins.items()}
                bins = {
                    k: (
                        dataclasses.replace(v, feature=k)
                        if isinstance(v, FeatureBins) and v.feature != k
                        else v
                    )
                    for k, v in bins.items()
                }
            self.bins_ = frame_bins(frame, bins, w, None)
        else:
            binner = (
                clone(self.binner)
                if self.binner is not None
                else StumpBinner(random_state=self.random_state)
            )
            if "event" in binner.get_params(deep=False):
                binner.set_params(event=None)  # it gets y coded 0/1 (1 = event)
            if (fold or own_folds) and binner.get_params(deep=False).get("pvalue_cv"):
                # the encoder's folds give the cross-fitted test: no folds within folds
                binner.set_params(pvalue_cv=None)
            if keep_cells:  # StumpBinner: keep the fine cells and row codes (subtraction)
                binner._keep_cells = True
            if weighted and isinstance(binner, StumpBinner):  # weights read at our fit
                binner.fit(frame, y, sample_weight=w, weights="sampling")
            elif weighted:
                binner.fit(frame, y, sample_weight=w)
            else:
                binner.fit(frame, y)
            bins = getattr(binner, "bins_", None)
            if not isinstance(bins, Mapping) or set(bins) != set(self.features_):
                raise InvalidParameterError(
                    f"binner {type(binner).__name__} must set bins_ (a dict of FeatureBins for "
                    "every column) in fit"
                )
            self.binner_ = binner
            self.bins_ = dict(bins)
            if isinstance(binner, StumpBinner):  # same rows and weights: reuse its counts
                counts = binner.counts_
                test = binner.iv_test_
                if test is not None:
                    self.crossfit_bins_ = binner.crossfit_bins_
                    self.crossfit_counts_ = binner.crossfit_counts_
        if counts is None:
            counts = CountTable.from_frame(frame, self.bins_, {"class": y}, w, weights="sampling")
            if not fold:  # a cross-fitting fold may miss a rare bin of the whole data: smoothed
                self._check_empty_bins(counts)
        self.counts_ = counts
        self.woe_tables_ = LazyWoETables(counts, self.bins_, self.alpha, self.woe_sign)
        # the WoE per bin now (the engine's numbers, and its zero-cell warnings); the IV
        # results (SE, interval, test) when iv_ is first read
        arrays = counts.cell_arrays({"class": [0, 1]})
        self.woe_values_ = {
            f: _fold_woe(
                np.concatenate([arrays[f][:, 1], arrays[f][:, 0]], axis=1),
                self.woe_sign,
                counts.labels[f],
                "",
                f,
            )
            for f in self.features_
        }
        self._ivs: dict[str, Any] | None = None
        method = GIVEN_BINS if self.bins is not None else IN_SAMPLE
        self._set_test(test, method)

    def _set_test(self, test: pd.DataFrame | None, method: str) -> None:
        """Record the cross-fitted test (if any) for ``iv_``, and which test it holds."""
        self._iv_test = (test, method)
        self.__dict__.pop("_iv_frame", None)

    @property
    def iv_(self) -> pd.DataFrame:
        """IV of every feature (see the class docstring), built on first access.

        The IV results are computed in ``fit``; their summary frame (intervals, tests, notes)
        is built when first read, so that cross-fitting folds and pipelines that never read it
        do not pay for it.
        """
        if "_iv_frame" not in self.__dict__:
            check_is_fitted(self, "woe_values_")
            iv = _feature_rows(self._iv_results(), "iv")
            self._put_test(iv, *self._iv_test)
            self._iv_frame = iv
        return self._iv_frame

    def _iv_results(self) -> dict[str, Any]:
        """The IV result of every feature on the training counts (computed once)."""
        if self._ivs is None:
            with warnings.catch_warnings():
                # the zero cells were reported when fit computed the WoE
                warnings.simplefilter("ignore", ZeroCellWarning)
                self._ivs = {
                    # one non-empty cell needs no special case: IV 0, SE 0, p-value 1
                    f: self.counts_.divergence(
                        f, "class", 1, 0, "jeffreys", name=f"IV[{f}]", alpha=self.alpha
                    )
                    for f in self.features_
                }
        return self._ivs

    def __getstate__(self) -> dict[str, Any]:
        # the IV results hold the engine's functions (not picklable): pickle their frame
        state = dict(super().__getstate__())
        if state.get("_ivs") is not None or "_iv_frame" not in state:
            if "woe_values_" in state:
                state["_iv_frame"] = self.iv_
            state["_ivs"] = None
        return state

    @staticmethod
    def _put_test(iv: pd.DataFrame, test: pd.DataFrame | None, method: str) -> None:
        """Put the cross-fitted test (if any) into ``iv``, and say which test it holds."""
        if test is not None:
            for col in ("statistic", "df", "pvalue"):
                iv[col] = test.loc[iv.index, col].to_numpy()
            method = str(test["pvalue_method"].iloc[0])
        if "pvalue_method" in iv.columns:
            iv["pvalue_method"] = method
        else:
            iv.insert(int(iv.columns.get_loc("pvalue")) + 1, "pvalue_method", method)  # type: ignore[arg-type]
        if method != GIVEN_BINS:  # the interval is in-sample: say so (once) in ci_note
            prev = iv.pop("ci_note") if "ci_note" in iv.columns else pd.Series("", index=iv.index)
            iv["ci_note"] = [
                v if CI_NOTE in v else (f"{v}; {CI_NOTE}" if v else CI_NOTE)
                for v in prev.fillna("").astype(str)
            ]

    def _check_empty_bins(self, counts: CountTable) -> None:
        """Given bins: a regular bin without any training row is an error (merge the edges)."""
        for f, b in self.bins_.items():
            n = counts.vector(f, "n")[: b.n_regular]
            empty = np.flatnonzero(n == 0)
            if empty.size:
                labels = [b.labels[i] for i in empty]
                raise InvalidParameterError(
                    f"column {f!r}: bins {labels} have no training rows; merge or change the "
                    "edges given in bins"
                )

    # ------------------------------------------------------------------ transform
    def _encode(self, frame: pd.DataFrame, note: str = "") -> np.ndarray:
        return self._encode_codes(
            frame,
            lambda f: self.bins_[f].codes(frame[f]),  # one column's codes at a time
            self.bins_,
            self.woe_values_,
            note,
            n_rows=len(frame),
        )

    def _encode_codes(
        self,
        frame: pd.DataFrame,
        code_of: Callable[[str], np.ndarray],
        bins: Mapping[str, FeatureBins],
        woe_values: Mapping[str, np.ndarray],
        note: str = "",
        rows: np.ndarray | None = None,
        *,
        n_rows: int,
    ) -> np.ndarray:
        """WoE of every row from its bin code per feature (``code_of(f)``; ``frame``, or its
        ``rows``, only gives the examples of the warnings)."""
        # column-major: each feature's column is written in one contiguous block
        out = np.empty((n_rows, len(self.features_)), order="F")
        unknown = float(self.unknown_value)
        for j, f in enumerate(self.features_):
            codes = code_of(f)
            values = woe_values[f]
            if bins[f].categories is None and not np.isnan(values).any():
                # numeric bins (no unseen value) with a WoE in every bin: one lookup
                out[:, j] = values.take(codes)
                continue
            unseen = codes == UNSEEN
            any_unseen = bool(unseen.any())
            enc = values.take(np.where(unseen, 0, codes) if any_unseen else codes)
            if any_unseen:
                enc[unseen] = np.nan
            nowoe = np.isnan(enc)
            if any_unseen:
                nowoe &= ~unseen
            if any_unseen:
                x = frame[f] if rows is None else frame[f].iloc[rows]
                examples = pd.unique(x[unseen].astype(object))[:5].tolist()
                detail = f"column {f!r}{note}: {int(unseen.sum())} rows (e.g. {examples})"
                warn_feature(
                    f"column {f!r}: {int(unseen.sum())} rows hold categories not seen in fit "
                    f"(e.g. {examples}){note}; encoded as unknown_value={unknown:g}",
                    UnseenCategoryWarning,
                    feature=str(f),
                    head="rows hold categories not seen in fit; encoded as "
                    f"unknown_value={unknown:g}",
                    detail=detail,
                    stacklevel=3,
                )
            if nowoe.any():
                labels = sorted({bins[f].labels[c] for c in codes[nowoe]})
                warn_feature(
                    f"column {f!r}: {int(nowoe.sum())} rows fall in bins with no training rows "
                    f"{labels}{note}; encoded as unknown_value={unknown:g}",
                    UnseenCategoryWarning,
                    feature=str(f),
                    head="rows fall in bins with no training rows; encoded as "
                    f"unknown_value={unknown:g}",
                    detail=f"column {f!r}{note}: {int(nowoe.sum())} rows in {labels}",
                    stacklevel=3,
                )
            if any_unseen or nowoe.any():
                enc[unseen | nowoe] = unknown
            out[:, j] = enc
        return out

    @one_warning_per_call
    def transform(self, X: Any) -> np.ndarray:
        """WoE of every value's bin (learned on all training rows)."""
        check_is_fitted(self, "woe_values_")
        frame = as_frame(self, X, reset=False)
        return self._encode(frame)

    @one_warning_per_call
    def fit_transform(
        self, X: Any, y: Any = None, sample_weight: Any = None, *, weights: Any = None
    ) -> np.ndarray:
        """Fit on all rows, and return the *cross-fitted* encoding of ``X``.

        Each row is encoded with bins and WoE learned on the other ``cv - 1`` folds
        (stratified on ``y``), so it differs from ``fit(X, y).transform(X)``. With a binner,
        the same folds give the cross-fitted test of IV = 0 in ``iv_`` (``pvalue_method``
        ``"cross-fit"``). ``weights`` is read as in :meth:`fit`, except that ``"frequency"``
        is refused (one cross-fitted row per aggregated row is not defined: use
        ``fit(...).transform``).
        """
        self._check_params()
        if weights == "frequency" and sample_weight is not None:
            raise InvalidParameterError(
                "WoEEncoder.fit_transform cross-fits row by row, which aggregated rows "
                "(weights='frequency') do not allow: use fit(X, y, sample_weight=..., "
                "weights='frequency').transform(X), or expand the rows with np.repeat"
            )
        frame, yy, self.classes_, w = fit_inputs(self, X, y, sample_weight, self.event, weights)
        folds = self._folds(yy)
        weighted = sample_weight is not None
        if self._subtracts(len(frame), folds):
            self._fit_frame(frame, yy, w, weighted, own_folds=True, keep_cells=True)
            if hasattr(self.binner_, "_row_cells"):
                return self._crossfit_by_subtraction(frame, folds)
        else:
            self._fit_frame(frame, yy, w, weighted, own_folds=True)
        out = np.empty((len(frame), len(self.features_)))
        done = np.zeros(len(frame), dtype=bool)
        fold_bins = []
        for k, (tr, te) in enumerate(folds):
            enc = clone(self)
            enc._check_params()
            enc._fit_frame(frame.iloc[tr], yy[tr], w[tr], sample_weight is not None, fold=True)
            out[te] = enc._encode(frame.iloc[te], note=f" (cross-fitting fold {k})")
            done[te] = True
            fold_bins.append(enc.bins_)
        if not done.all():
            raise InvalidParameterError(
                f"cv leaves {int((~done).sum())} rows out of every test fold"
            )
        if self.bins is None:
            # bins chosen on y: the test of IV = 0 on each fold's rows in the bins learned on
            # the other folds (the same fits that encoded them), not on the rows that chose them
            self.crossfit_bins_ = fold_bins
            self.crossfit_counts_ = crossfit_counts(frame, yy, folds, fold_bins, w)
            self._set_test(crossfit_iv_test(self.crossfit_counts_), "")
        return out

    def _subtracts(self, n: int, folds: list[tuple[np.ndarray, np.ndarray]]) -> bool:
        """Whether the folds can be cross-fitted by subtraction: the binner is (or defaults
        to) a per-feature :class:`StumpBinner` and every fold trains on all rows but its test
        rows, the test rows of the folds making a partition of the rows."""
        if self.bins is not None:
            return False
        b = self.binner
        if b is not None and (type(b) is not StumpBinner or b.strategy != "per_feature"):
            return False
        seen = np.zeros(n, dtype=np.int64)
        for tr, te in folds:
            tr, te = np.asarray(tr), np.asarray(te)
            if len(tr) + len(te) != n:
                return False
            mark = np.zeros(n, dtype=bool)
            mark[tr] = True
            mark[te] = True
            if not mark.all():
                return False
            np.add.at(seen, te, 1)
        return bool((seen == 1).all())

    def _crossfit_by_subtraction(
        self, frame: pd.DataFrame, folds: list[tuple[np.ndarray, np.ndarray]]
    ) -> np.ndarray:
        """The cross-fitted encoding from one table per fold (see ``docs/binning.md``).

        The binner fitted on all rows kept its fine cells and every row's cell code; the bins
        of fold ``k`` are learned from the table of the other folds
        (``StumpBinner._crossfit_cells``) and fold ``k``'s rows are encoded through their cell
        codes, with the WoE of the other folds' rows in those bins (the WoE engine of
        :meth:`fit`: :func:`infodiv.core.divergence`, Jeffreys, Kish sizes).
        """
        binner = self.binner_
        assert isinstance(binner, StumpBinner)  # _subtracts checked it
        cells, per_fold = binner._crossfit_cells([te for _, te in folds])
        codes = dict(zip(cells, binner._row_cells[1], strict=True))
        del binner._row_cells, binner._keep_cells  # the row codes: not kept once encoded
        out = np.empty((len(frame), len(self.features_)))
        for k, (_, te) in enumerate(folds):
            res = per_fold[k]
            woe = {}
            for f in self.features_:
                table = res["stats"][f].table  # n, w, w2 of the events, then of the others
                woe[f] = _fold_woe(
                    table, self.woe_sign, res["bins"][f].labels, f" (cross-fitting fold {k})", f
                )
            luts: dict[str, np.ndarray] = res["lut"]

            def code_of(
                f: str, luts: dict[str, np.ndarray] = luts, te: np.ndarray = te
            ) -> np.ndarray:
                return luts[f][codes[f][te]]

            out[te] = self._encode_codes(
                frame,
                code_of,
                res["bins"],
                woe,
                note=f" (cross-fitting fold {k})",
                rows=te,
                n_rows=len(te),
            )
        self.crossfit_bins_ = [r["bins"] for r in per_fold]
        self.crossfit_counts_ = [r["own"] for r in per_fold]
        self._set_test(crossfit_iv_test(self.crossfit_counts_), "")
        return out

    def _folds(self, y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        cv = self.cv
        if isinstance(cv, int | np.integer):
            n_minor = int(min(y.sum(), (1 - y).sum()))
            if n_minor < cv:
                raise InvalidParameterError(
                    f"cv={cv} folds need at least {cv} rows of each class; the smaller class "
                    f"has {n_minor}"
                )
            cv = StratifiedKFold(
                int(cv),
                shuffle=self.shuffle,
                random_state=self.random_state if self.shuffle else None,
            )
        if hasattr(cv, "split"):
            return list(cv.split(np.zeros(len(y)), y))
        return [(np.asarray(tr), np.asarray(te)) for tr, te in cv]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Output names: the input column names."""
        check_is_fitted(self, "woe_values_")
        if input_features is not None:
            return _check_feature_names_in(self, input_features)
        return np.asarray(self.features_, dtype=object)

    # ------------------------------------------------------------------ display
    def plot_woe(self, feature: str, ax: Any = None) -> Any:
        """WoE by bin with confidence bars, and the event rate (see
        :func:`infodiv.plotting.plot_woe`). Returns a matplotlib Figure."""
        check_is_fitted(self, "woe_tables_")
        if feature not in self.woe_tables_:
            raise InvalidParameterError(f"feature must be one of {self.features_}; got {feature!r}")
        from infodiv.plotting import plot_woe

        return plot_woe(self.woe_tables_[feature], ax=ax)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        from sklearn.utils._tags import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.target_tags.required = True
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags


def _fold_woe(table: np.ndarray, woe_sign: str, labels: Any, note: str, f: str) -> np.ndarray:
    """WoE per bin of a fold from its training rows' class statistics (``BinStats`` table).

    The numbers of ``woe_from_result(divergence(w_bad, w_good, "jeffreys", p_sumsq=...,
    q_sumsq=...))``, which :meth:`WoEEncoder.fit` uses (the zero-cell rule: half an effective
    observation added to both samples in a bin empty in one of them; then ``ln(p / q)``),
    without the divergence's SE, interval and test, which a fold's encoding does not read
    (``tests/credit/test_woe_crossfit_subtraction.py`` checks the equality).
    """
    bad = np.ascontiguousarray(table[:, 0:3])
    good = np.ascontiguousarray(table[:, 3:6])
    P, Q = bad[:, 1].astype(float), good[:, 1].astype(float)
    sp, sq = float(P.sum()), float(Q.sum())
    if not np.isfinite(table[:, [1, 2, 4, 5]]).all() or not np.isfinite([sp, sq]).all():
        raise InvalidParameterError(
            f"the weights of column {f!r}{note} sum (or their squares sum) beyond the float "
            "range; divide sample_weight by a constant (every WoE and SE is unchanged by a "
            "common factor)"
        )
    if sp <= 0 or sq <= 0:
        raise InvalidParameterError(
            f"column {f!r}{note}: the training rows of the fold hold no "
            f"{'event' if sp <= 0 else 'non-event'}; use stratified folds"
        )
    n1 = sp * (sp / float(np.sum(bad[:, 2].sum())))
    n2 = sq * (sq / float(np.sum(good[:, 2].sum())))
    keep = ~((P == 0) & (Q == 0))
    one_zero = keep & ((P == 0) | (Q == 0))
    if one_zero.any():
        P[one_zero] += 0.5 * P.sum() / n1
        Q[one_zero] += 0.5 * Q.sum() / n2
        smoothed = [labels[j] for j in np.flatnonzero(one_zero)]
        rule = "added 0.5 observation to both samples in those cells only (zero_cells='smooth')"
        warn_feature(
            f"IV[{f}]{note}: cells {smoothed} are empty in one sample; {rule}",
            ZeroCellWarning,
            feature=f"IV[{f}]",
            head=f"cells empty in one sample were smoothed: {rule}",
            detail=f"IV[{f}]{note}: {smoothed[:5]}",
            stacklevel=3,
        )
    p = np.where(keep, P / P.sum(), 0.0)
    q = np.where(keep, Q / Q.sum(), 0.0)
    used = (p > 0) | (q > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(used, np.log(p / q), np.nan)
    return (-1.0 if woe_sign == "good/bad" else 1.0) * ratio


def _check_cv(cv: Any) -> None:
    """Refuse a ``cv`` that is no int >= 2, CV splitter or list of (train, test) index arrays.

    A one-shot iterator is not read here (that would consume it); its pairs are used as given.
    """
    what = "cv must be an int >= 2, a CV splitter or an iterable of (train, test) index arrays"
    if isinstance(cv, bool | np.bool_) or isinstance(cv, str | bytes | Mapping):
        raise InvalidParameterError(f"{what}; got {type(cv).__name__} {cv!r}")
    if isinstance(cv, int | np.integer):
        if cv < 2:
            raise InvalidParameterError(f"{what}; got {cv!r} (fewer than 2 folds)")
        return
    if hasattr(cv, "split"):
        return
    if not isinstance(cv, Iterable):
        raise InvalidParameterError(f"{what}; got {type(cv).__name__} {cv!r}")
    if iter(cv) is cv:  # a generator: its pairs are checked when used
        return
    for k, pair in enumerate(cv):
        ok = not isinstance(pair, str | bytes | Mapping) and _is_pair_of_indices(pair)
        if not ok:
            shown = repr(pair) if len(repr(pair)) <= 60 else repr(pair)[:57] + "..."
            raise InvalidParameterError(
                f"{what}; item {k} of cv is {shown}, not a (train, test) pair of 1-D integer "
                "index arrays"
            )


def _is_pair_of_indices(pair: Any) -> bool:
    try:
        parts = list(pair)
    except TypeError:
        return False
    if len(parts) != 2:
        return False
    for part in parts:
        if isinstance(part, str | bytes | Mapping):
            return False
        try:
            arr = np.asarray(part)
        except (ValueError, TypeError):
            return False
        if arr.ndim != 1 or not (arr.dtype.kind in "iub" or arr.size == 0):
            return False
    return True
