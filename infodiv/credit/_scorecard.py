"""``Scorecard``: logistic regression on WoE features, scaled to points.

The model is ``logit P(event) = b0 + sum_j b_j WoE_j(x_j)`` fitted by statsmodels (coefficient
SEs, z-tests, intervals). By default it is fitted on the cross-fitted WoE of
:meth:`WoEEncoder.fit_transform` (no row sees its own target through its encoding) and applied
with the WoE learned on all rows, as scikit-learn's ``TargetEncoder`` pipelines do.

Points scaling (industry convention; odds are non-event : event, i.e. good : bad)::

    factor = pdo / ln 2
    offset = base_score - factor * ln(base_odds)
    score  = offset + factor * ln(good odds) = offset - factor * (b0 + sum_j b_j WoE_j)

so a score of ``base_score`` means good:bad odds of ``base_odds`` and every ``pdo`` more
points doubles the odds. The points of bin ``k`` of feature ``j`` are
``-factor * b_j * WoE_jk + (offset - factor * b0) / m`` over the ``m`` selected features
(intercept spread evenly), so the points of a row's bins add up to its score exactly.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from infodiv._param_validation import Interval, StrOptions, validate_estimator_params
from infodiv._sklearn import as_frame, fit_inputs
from infodiv._validation import check_alpha, one_warning_per_call
from infodiv.core import ConfidenceInterval, ResultBase
from infodiv.credit._woe_encoder import WoEEncoder
from infodiv.exceptions import InvalidParameterError, SolverWarning

__all__ = ["Scorecard", "ScorecardResult"]

#: ``ci_method="auto"`` bootstraps the coefficients of fits with at most this many events...
AUTO_BOOTSTRAP_EVENTS = 2000
#: ... and at most this many ``n_bootstrap * rows * coefficients`` (a few seconds on one core)
AUTO_BOOTSTRAP_CELLS = 50_000_000


#: What the intervals of each method condition on, in words (the ``ci_method`` column).
CI_METHODS = {
    "wald": "Wald; WoE treated as known (its estimation error is ignored)",
    "bootstrap": "bootstrap of WoE + logistic fit, bins fixed (basic interval)",
}


class ScorecardResult(ResultBase):
    """The coefficients of a fitted :class:`Scorecard`, with SEs, tests and intervals.

    A vector result on ``["const", *features]``: ``params`` the coefficients, ``bse`` their
    SEs, ``tvalues`` (z) and ``pvalues`` of H0: coefficient = 0, and intervals. The estimand
    of every coefficient is the coefficient of the logistic regression on the *population* WoE
    of the scorecard's bins (``docs/numbers.md``, "Scorecard coefficients"); ``ci_method`` says
    how the intervals get there:

    ``"wald"``
        statsmodels' Wald intervals and z tests, which treat the WoE as known: they ignore the
        error of the estimated WoE, which attenuates the fitted coefficients (weak features
        cover far below the nominal level with few events) and makes strong ones' SEs far too
        large.
    ``"bootstrap"``
        ``bse`` is the SD of the coefficients over bootstrap replicates of the WoE estimation
        and the logistic fit (the bins held fixed); the interval is the basic bootstrap interval
        ``params - quantiles of (replicate - theta)`` (``theta``: the fit on the in-sample WoE,
        the coefficient the bootstrap world holds true), which removes the attenuation;
        ``bias`` is the mean of ``replicate - theta``; the p-value inverts that interval.

    Parameters
    ----------
    params, bse : Series
        Coefficients and their standard errors (``const`` first).
    iv : Series
        IV of each feature (NaN for ``const``).
    alpha : float
        Level of the default interval.
    ci_method : {"wald", "bootstrap"}, default="wald"
        How ``bse``, the intervals and the tests were formed.
    deviations : ndarray of shape (n_bootstrap, n_params), optional
        ``replicate - theta`` of the bootstrap (``ci_method="bootstrap"``).

    Attributes
    ----------
    ci_method : str
        ``"wald"`` or ``"bootstrap"`` (also ``ci_method_used``).
    ci_method_note : str
        What the intervals rest on, in words (the ``ci_method`` column of :meth:`summary`).
    """

    def __init__(
        self,
        params: pd.Series,
        bse: pd.Series,
        iv: pd.Series,
        alpha: float,
        ci_method: str = "wald",
        deviations: np.ndarray | None = None,
    ) -> None:
        self._params = params.copy()
        self._bse = bse.reindex(params.index)
        self.iv = iv.reindex(params.index)
        self.alpha = alpha
        if ci_method not in CI_METHODS or (ci_method == "bootstrap") != (deviations is not None):
            raise InvalidParameterError(
                f"ci_method must be one of {sorted(CI_METHODS)} (deviations with 'bootstrap' "
                f"only); got {ci_method!r}"
            )
        self.ci_method = ci_method
        self.ci_method_note = CI_METHODS[ci_method]
        self._dev = None if deviations is None else np.asarray(deviations, dtype=float)

    @property
    def estimate(self) -> pd.Series:
        """The coefficients."""
        return self._params

    @property
    def se(self) -> pd.Series:
        """Their standard errors."""
        return self._bse

    @property
    def ci_method_used(self) -> str:
        """The interval method: ``"wald"`` or ``"bootstrap"`` (``ci_method_note`` in words)."""
        return self.ci_method

    @property
    def ci_note(self) -> pd.Series:
        """Per coefficient, why its interval excludes its estimate ("" where it does not).

        The bootstrap interval is centred on the coefficient less its estimated attenuation
        (``bias``), so with a large bias it can lie beside the estimate.
        """
        low, high = self.conf_int()
        out = (low > self._params) | (high < self._params)
        note = (
            "the interval corrects the coefficient's attenuation by the estimated WoE "
            "(see bias): the estimand is the coefficient on the population WoE"
        )
        return pd.Series(np.where(out, note, ""), index=self._params.index)

    @property
    def bias(self) -> pd.Series:
        """Bootstrap estimate of ``E[params] - estimand`` (NaN for ``"wald"``)."""
        if self._dev is None:
            return pd.Series(np.nan, index=self._params.index)
        return pd.Series(self._dev.mean(axis=0), index=self._params.index)

    @property
    def tvalues(self) -> pd.Series:
        """The z statistics: ``params / bse`` (Wald), ``(params - bias) / bse`` (bootstrap)."""
        if self._dev is None:
            return self._params / self._bse
        return (self._params - self.bias) / self._bse

    statistic = tvalues

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided p-values of H0: coefficient = 0.

        Wald: the normal law of the z statistic (as statsmodels' GLM). Bootstrap: the smallest
        level whose basic interval excludes 0, ``2 min(1 + #{d >= params}, 1 + #{d <= params})
        / (B + 1)`` over the ``B`` deviations ``d`` (at most 1).
        """
        if self._dev is None:
            p = 2 * stats.norm.sf(np.abs(self.tvalues))
        else:
            b = self._params.to_numpy()
            hi = (self._dev >= b).sum(axis=0) + 1
            lo = (self._dev <= b).sum(axis=0) + 1
            p = np.minimum(1.0, 2 * np.minimum(hi, lo) / (len(self._dev) + 1))
        return pd.Series(p, index=self._params.index)

    pvalue = pvalues

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Two-sided intervals of the coefficients, by ``ci_method``.

        Wald: ``params +/- z_{1 - alpha/2} bse`` (statsmodels' ``conf_int``). Bootstrap: the
        basic interval ``[params - q_{1 - alpha/2}, params - q_{alpha/2}]`` of the deviations
        ``replicate - theta``.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the scorecard's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` Series on the coefficients.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        if self._dev is None:
            z = stats.norm.ppf(1 - a / 2)
            low, high = self._params - z * self._bse, self._params + z * self._bse
        else:
            q = np.quantile(self._dev, [a / 2, 1 - a / 2], axis=0)
            low = self._params - pd.Series(q[1], index=self._params.index)
            high = self._params - pd.Series(q[0], index=self._params.index)
        return ConfidenceInterval(low.rename("low"), high.rename("high"))

    def summary(self) -> pd.DataFrame:
        """Per coefficient: ``estimate, se, ci_low, ci_high, statistic, pvalue, iv, ci_method``.

        Returns
        -------
        pandas.DataFrame
            One row per coefficient (``const`` first): the coefficient, its SE, the interval at
            the result's level, the z statistic, the two-sided p-value, the feature's IV, then
            ``bias`` (bootstrap only), ``ci_method``: in words, what the interval rests on
            (e.g. "Wald; WoE treated as known ..."), and ``ci_note`` where some interval
            excludes its estimate.
        """
        extra: dict[str, Any] = {"iv": self.iv}
        if self._dev is not None:
            extra["bias"] = self.bias
        extra["ci_method"] = self.ci_method_note
        note = self.ci_note
        if (note != "").any():
            extra["ci_note"] = note
        return self._frame(statistic=self.tvalues, pvalue=self.pvalues, **extra)

    def __repr__(self) -> str:
        with pd.option_context("display.width", 160):
            body = (
                self.summary()
                .drop(columns=["ci_method", "ci_note"], errors="ignore")
                .to_string(float_format=lambda v: f"{v:.4g}")
            )
        return (
            f"ScorecardResult({len(self._params) - 1} features, alpha {self.alpha:g}; "
            f"intervals: {self.ci_method_note})\n{body}"
        )


class Scorecard(ClassifierMixin, BaseEstimator):
    """Logistic-regression scorecard on WoE features with points scaling.

    Parameters
    ----------
    encoder : WoEEncoder, optional
        Default ``WoEEncoder(random_state=random_state)`` (StumpBinner bins). Cloned.
    min_iv : float, optional
        Keep only features whose IV is at least this (e.g. 0.02). Features whose WoE is constant
        (a single bin) are always left out.
    max_iv_pvalue : float, optional
        Keep only features whose IV chi-square test p-value is at most this. The test is the
        encoder's cross-fitted one (``encoder_.iv_``, ``pvalue_method`` ``"cross-fit"``: each
        fold's rows counted in bins learned on the other folds), also with
        ``cross_fit=False``; the in-sample test on bins chosen on the same rows would keep
        12.6-13.6% of pure-noise features at 0.05. With given bins (``WoEEncoder(bins=...)``)
        it is the chi-square test of those bins.
    pdo : float, default=20
        Points to double the (good:bad) odds, in ``(0, 1e6]``.
    base_score : float, default=600
        Score at which the good:bad odds equal ``base_odds``.
    base_odds : float, default=50
        Good:bad odds at ``base_score``.
    cross_fit : bool, default=True
        Fit the regression on the cross-fitted WoE (``encoder.fit_transform``); ``False`` fits it
        on in-sample WoE (``fit(X, y).transform(X)``), the traditional but optimistic way.
    event : label, optional
        The event (bad) class of ``y``. Not needed for 0/1 targets (integers, floats, nullable
        integers) or booleans, where 1/``True`` is the event; required for any other pair of
        labels (e.g. ``event="bad"`` with ``"good"``/``"bad"``). Checked in ``fit``; the encoder then
        receives ``y`` coded 0/1 (its own ``event`` is not used).
    alpha : float, default=0.05
        Level of the coefficient intervals.
    ci_method : {"auto", "bootstrap", "wald"}, default="auto"
        How the coefficient SEs, intervals and tests account for the estimated WoE (see
        :class:`ScorecardResult` and ``docs/numbers.md``, "Scorecard coefficients").
        ``"bootstrap"``: ``n_bootstrap`` replicates of the WoE estimation (cross-fitted as in the
        fit) and the logistic fit, with the bins held fixed; it holds the nominal level where
        the Wald intervals do not. ``"wald"``: statsmodels' Wald intervals, which treat the WoE
        as known. ``"auto"``: the bootstrap when the fit has at most ``AUTO_BOOTSTRAP_EVENTS``
        (2,000) events (Kish effective number under ``sample_weight``) and ``n_bootstrap x rows
        x coefficients`` is at most ``AUTO_BOOTSTRAP_CELLS`` (5e7: 250,000 rows x coefficients
        at 200 replicates, a few seconds), Wald above (where the attenuation is a smaller part
        of the SE, and the bootstrap's cost grows with the rows). ``result_.ci_method`` and the ``ci_method``
        column of :meth:`summary` say which was used.
    n_bootstrap : int, default=200
        Bootstrap replicates (at least 20).
    random_state : int, RandomState or None
        Seeds the default encoder's folds and the bootstrap.

    Attributes
    ----------
    encoder_ : WoEEncoder
    features_ : list of str
        Features in the regression.
    dropped_ : dict of str -> str
        Features left out and why.
    model_ : statsmodels GLMResults
    result_ : ScorecardResult
        The coefficients as an infodiv result (``params``, ``bse``, ``pvalues``,
        ``conf_int()``, ``summary()``).
    params_, bse_ : Series
        Coefficients (``const`` first) and their SEs (``result_.bse``: bootstrap SDs when the
        intervals are bootstrapped, statsmodels' otherwise).
    coef_ : ndarray of shape (1, n_features_in_), intercept_ : ndarray of shape (1,)
        scikit-learn view (0 for features left out).
    points_table_ : DataFrame
        ``feature``, ``bin``, ``code``, ``woe``, ``coef``, ``points`` for every bin.
    classes_ : ndarray

    Examples
    --------
    >>> import numpy as np
    >>> from infodiv.datasets import load_german_credit
    >>> df = load_german_credit()
    >>> y = df.pop("default")
    >>> sc = Scorecard(min_iv=0.02, random_state=0).fit(df, y)
    >>> s = sc.score(df.head(3))          # points
    >>> p = sc.predict_proba(df.head(3))[:, 1]
    >>> bool(np.allclose(s, sc.offset_ - sc.factor_ * np.log(p / (1 - p))))
    True
    """

    def __init__(
        self,
        encoder: WoEEncoder | None = None,
        min_iv: float | None = None,
        max_iv_pvalue: float | None = None,
        pdo: float = 20.0,
        base_score: float = 600.0,
        base_odds: float = 50.0,
        cross_fit: bool = True,
        event: Any = None,
        alpha: float = 0.05,
        ci_method: str = "auto",
        n_bootstrap: int = 200,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.encoder = encoder
        self.min_iv = min_iv
        self.max_iv_pvalue = max_iv_pvalue
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds
        self.cross_fit = cross_fit
        self.event = event
        self.alpha = alpha
        self.ci_method = ci_method
        self.n_bootstrap = n_bootstrap
        self.random_state = random_state

    #: Declarative constraints of the constructor parameters, checked first in ``fit``.
    _parameter_constraints: dict[str, list[Any]] = {
        "encoder": ["no_validation"],
        "min_iv": [Interval(float, 0, None, closed="left"), None],
        "max_iv_pvalue": [Interval(float, 0, 1, closed="neither"), None],
        # up to a million points per doubling of the odds: far beyond any scale in use, and
        # scores stay finite (1e308 overflowed to inf points)
        "pdo": [Interval(float, 0, 1e6, closed="right")],
        "base_score": [float],
        "base_odds": [Interval(float, 0, None, closed="neither")],
        "cross_fit": ["boolean"],
        "event_label": ["no_validation"],
        "alpha": [Interval(float, 0, 1, closed="neither")],
        "ci_method": [StrOptions({"auto", "bootstrap", "wald"})],
        "n_bootstrap": [Interval(int, 20, None, closed="left")],
        "random_state": ["no_validation"],
        "event": ["no_validation"],
    }

    def _check_params(self) -> None:
        validate_estimator_params(self)
        for name in ("pdo", "base_odds"):
            v = getattr(self, name)
            if not (isinstance(v, int | float) and np.isfinite(v) and v > 0):
                raise InvalidParameterError(f"{name} must be a positive number; got {v!r}")
        if not (isinstance(self.base_score, int | float) and np.isfinite(self.base_score)):
            raise InvalidParameterError(
                f"base_score must be a finite number; got {self.base_score!r}"
            )
        if self.min_iv is not None and not (
            isinstance(self.min_iv, int | float) and self.min_iv >= 0
        ):
            raise InvalidParameterError(
                f"min_iv must be a non-negative number or None; got {self.min_iv!r}"
            )
        if self.max_iv_pvalue is not None:
            check_alpha(self.max_iv_pvalue, "max_iv_pvalue")
        check_alpha(self.alpha)

    # ------------------------------------------------------------------ fit
    @one_warning_per_call
    def fit(self, X: Any, y: Any, sample_weight: Any = None, *, weights: Any = None) -> Scorecard:
        """Bin, encode, select and fit the logistic regression.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Two classes: 0/1 or booleans (1/``True`` = event), or two labels with
            ``event`` naming the event. A pandas ``y`` is matched to a pandas ``X`` by index
            label.
        sample_weight : array-like, optional
            Sampling weights: weighted WoE, and a weighted regression with sandwich
            (``HC0``) coefficient SEs.
        weights : {"sampling", "frequency"} or None, default None
            How ``sample_weight`` is read: ``"sampling"`` (survey/sampling weights, as
            above), ``"frequency"`` (whole-number counts of identical rows, as in an
            aggregated table: each row is expanded into that many rows) or ``None``
            (sampling, but weights that look like aggregated counts are refused with an
            error asking for one of the two; ``docs/numbers.md``, "Weights").

        Returns
        -------
        self
        """
        from statsmodels.genmod import families
        from statsmodels.genmod.generalized_linear_model import GLM

        self._check_params()
        frame, yy, self.classes_, w = fit_inputs(self, X, y, sample_weight, self.event, weights)
        enc = (
            clone(self.encoder)
            if self.encoder is not None
            else WoEEncoder(random_state=self.random_state)
        )
        if "event" in enc.get_params(deep=False):
            enc.set_params(event=None)  # it gets y coded 0/1 (1 = event)
        sw = None if sample_weight is None else w
        # the weights were read above (frequency weights expanded into rows)
        kw = {"weights": "sampling"} if sw is not None and isinstance(enc, WoEEncoder) else {}
        if self.cross_fit:
            Z = enc.fit_transform(frame, yy, sample_weight=sw, **kw)
        elif self.max_iv_pvalue is not None:
            # the selection needs the cross-fitted test: fit_transform computes it and leaves
            # the fitted state of fit; the regression gets the in-sample WoE as asked
            enc.fit_transform(frame, yy, sample_weight=sw, **kw)
            Z = enc.transform(frame)
        else:
            Z = enc.fit(frame, yy, sample_weight=sw, **kw).transform(frame)
        self.encoder_ = enc
        names = list(enc.get_feature_names_out())
        iv = enc.iv_
        self.dropped_: dict[str, str] = {}
        keep = []
        for j, f in enumerate(names):
            if np.ptp(Z[:, j]) == 0 or iv.loc[f, "df"] == 0:
                self.dropped_[f] = "constant WoE (a single bin)"
            elif self.min_iv is not None and iv.loc[f, "iv"] < self.min_iv:
                self.dropped_[f] = f"IV {iv.loc[f, 'iv']:.4g} < min_iv {self.min_iv:g}"
            elif self.max_iv_pvalue is not None and iv.loc[f, "pvalue"] > self.max_iv_pvalue:
                how = iv.loc[f, "pvalue_method"] if "pvalue_method" in iv.columns else ""
                self.dropped_[f] = (
                    f"IV p-value {iv.loc[f, 'pvalue']:.3g}"
                    + (f" ({how})" if how else "")
                    + f" > max_iv_pvalue {self.max_iv_pvalue:g}"
                )
            else:
                keep.append(j)
        if not keep:
            warnings.warn(
                f"no feature left for the scorecard ({self.dropped_}); fitting the intercept "
                "only: every row gets the same score",
                UserWarning,
                stacklevel=2,
            )
        self.features_ = [names[j] for j in keep]
        self._keep = np.asarray(keep, dtype=np.int64)
        exog = pd.DataFrame(Z[:, keep], columns=self.features_)
        exog.insert(0, "const", 1.0)
        if sample_weight is None:
            glm = GLM(yy, exog, family=families.Binomial())
            self.model_ = glm.fit(cov_type="nonrobust")
        else:
            # rows of zero weight add nothing to the likelihood or to the HC0 sandwich, and the
            # estimates do not depend on the weights' scale: fit on the weighted rows, weights
            # of mean 1 (statsmodels divides by each weight: a zero gave NaN, 1e-300 overflow)
            pos = w > 0
            vw = w[pos] / w[pos].mean()
            glm = GLM(
                yy[pos],
                exog.loc[pos].reset_index(drop=True),
                family=families.Binomial(),
                var_weights=vw,
            )
            with np.errstate(all="ignore"):
                self.model_ = glm.fit(cov_type="HC0")
            if not (np.isfinite(self.model_.params).all() and np.isfinite(self.model_.bse).all()):
                raise InvalidParameterError(
                    f"the logistic fit failed with these sample_weight values (they span "
                    f"{vw.min():.3g} to {vw.max():.3g} times their mean): give weights of a "
                    "less extreme range"
                )
        self.params_ = self.model_.params.copy()
        iv = pd.Series({f: float(iv.loc[f, "iv"]) for f in self.features_}, dtype=float)
        self.result_ = self._coef_result(frame, yy, w, sample_weight is not None, iv)
        self.bse_ = self.result_.bse.copy()
        self.intercept_ = np.array([float(self.params_["const"])])
        coef = np.zeros((1, len(names)))
        coef[0, keep] = self.params_[self.features_].to_numpy()
        self.coef_ = coef
        self.factor_ = float(self.pdo) / math.log(2.0)
        self.offset_ = float(self.base_score) - self.factor_ * math.log(float(self.base_odds))
        self.points_table_ = self._points_table()
        return self

    def _coef_result(
        self, frame: pd.DataFrame, y: np.ndarray, w: np.ndarray, weighted: bool, iv: pd.Series
    ) -> ScorecardResult:
        """The coefficient result by ``ci_method`` (the bootstrap of ``docs/numbers.md``)."""
        method = self.ci_method
        if method == "auto":
            we = w[y == 1]  # Kish effective number of events under sampling weights
            we = we / we.max() if weighted and we.size and we.max() > 0 else we  # scale-free
            n_events = float(we.sum() ** 2 / (we**2).sum()) if weighted else float(y.sum())
            cells = float(self.n_bootstrap) * len(y) * len(self.params_)
            small = n_events <= AUTO_BOOTSTRAP_EVENTS and cells <= AUTO_BOOTSTRAP_CELLS
            method = "bootstrap" if small else "wald"
        bse = self.model_.bse.copy()
        if method == "wald":
            return ScorecardResult(self.params_, bse, iv, self.alpha)
        enc = self.encoder_
        codes, off, unseen = [], [], []
        start = 0
        for f in self.features_:
            b = enc.bins_[f]
            c = b.codes(frame[f])
            codes.append(np.where(c < 0, b.n_bins, c) + start)  # unseen: a slot without WoE
            off.append(start)
            unseen.append(start + b.n_bins)
            start += b.n_bins + 1
        n = len(y)
        code_matrix = np.column_stack(codes) if codes else np.zeros((n, 0), dtype=np.int64)
        ww = w / w[w > 0].mean() if weighted else np.ones(n)  # scale-free; order 1
        dev, theta = _pipeline_bootstrap(
            code_matrix,
            y.astype(float),
            ww,
            _n_folds(enc, y) if self.cross_fit else 0,
            np.asarray(off, dtype=np.int64),
            np.asarray(unseen, dtype=np.int64),
            1.0 if enc.woe_sign == "bad/good" else -1.0,
            float(enc.unknown_value),
            self.params_.to_numpy(),
            int(self.n_bootstrap),
            _bootstrap_rng(self.random_state),
        )
        ok = np.isfinite(dev).all(axis=1) & np.isfinite(theta).all()
        if ok.sum() < max(20, len(dev) // 2):
            warnings.warn(
                f"the coefficient bootstrap failed on {int((~ok).sum())} of {len(dev)} "
                "replicates (the logistic fit did not converge: separated classes?); the "
                "intervals are Wald intervals, which treat the WoE as known",
                SolverWarning,
                stacklevel=3,
            )
            return ScorecardResult(self.params_, bse, iv, self.alpha)
        dev = dev[ok] - theta
        bse = pd.Series(dev.std(axis=0, ddof=1), index=self.params_.index)
        return ScorecardResult(self.params_, bse, iv, self.alpha, "bootstrap", dev)

    def _points_table(self) -> pd.DataFrame:
        enc = self.encoder_
        share = self._share()
        rows = []
        for f in self.features_:
            b = enc.bins_[f]
            coef = float(self.params_[f])
            woe = np.where(
                np.isnan(enc.woe_values_[f]), float(enc.unknown_value), enc.woe_values_[f]
            )
            labels = list(b.labels)
            codes = list(range(len(labels)))
            if not b.is_numeric:
                labels.append("unseen")
                codes.append(-1)
                woe = np.append(woe, float(enc.unknown_value))
            for code, lab, v in zip(codes, labels, woe, strict=True):
                rows.append(
                    {
                        "feature": f,
                        "bin": lab,
                        "code": code,
                        "woe": float(v),
                        "coef": coef,
                        "points": -self.factor_ * coef * float(v) + share,
                    }
                )
        return pd.DataFrame(rows, columns=["feature", "bin", "code", "woe", "coef", "points"])

    def _share(self) -> float:
        """Each feature's share of the intercept's points (all of them with no feature)."""
        m = max(len(self.features_), 1)
        return (self.offset_ - self.factor_ * float(self.params_["const"])) / m

    # ------------------------------------------------------------------ predict
    def _woe(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "points_table_")
        frame = as_frame(self, X, reset=False)
        return self.encoder_.transform(frame)[:, self._keep]

    @one_warning_per_call
    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of the event, ``b0 + sum_j b_j WoE_j``."""
        Z = self._woe(X)
        return float(self.params_["const"]) + Z @ self.params_[self.features_].to_numpy()

    @one_warning_per_call
    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of ``classes_[0]`` (non-event) and ``classes_[1]`` (event)."""
        p = special.expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    @one_warning_per_call
    def predict(self, X: Any) -> np.ndarray:
        """The event label where its probability exceeds one half."""
        check_is_fitted(self, "points_table_")
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    @one_warning_per_call
    def points(self, X: Any) -> pd.DataFrame:
        """Points of every row per feature (they add up to :meth:`score`)."""
        Z = self._woe(X)
        pts = -self.factor_ * Z * self.params_[self.features_].to_numpy() + self._share()
        index = X.index if isinstance(X, pd.DataFrame) else None
        return pd.DataFrame(pts, columns=self.features_, index=index)

    @one_warning_per_call
    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> Any:
        """Scorecard points of every row; with ``y``, scikit-learn's mean accuracy instead.

        ``score(X)`` returns ``offset - factor * log-odds`` (higher = safer). Passing ``y``
        keeps the scikit-learn meaning (accuracy), so ``cross_val_score`` and model selection
        work unchanged.
        """
        if y is not None:
            return ClassifierMixin.score(self, X, y, sample_weight=sample_weight)
        return self.offset_ - self.factor_ * self.decision_function(X)

    # ------------------------------------------------------------------ reason codes
    def reason_code_table(self) -> pd.DataFrame:
        """Every bin's reason code, label and points below its feature's best bin.

        Returns
        -------
        DataFrame
            One row per bin of the points table: ``feature``, ``bin``, ``code`` (the bin's
            code), ``reason_code`` (``"<feature>:<code>"``, stable for a fitted scorecard),
            ``label`` (``"<feature>: <bin>"``), ``points``, ``max_points`` (the feature's best
            attainable points, over all its bins) and ``points_below_max``.
        """
        check_is_fitted(self, "points_table_")
        t = self.points_table_[["feature", "bin", "code", "points"]].copy()
        t["reason_code"] = t["feature"].astype(str) + ":" + t["code"].astype(str)
        t["label"] = t["feature"].astype(str) + ": " + t["bin"].astype(str)
        t["max_points"] = t.groupby("feature", sort=False)["points"].transform("max")
        t["points_below_max"] = t["max_points"] - t["points"]
        cols = ["feature", "bin", "code", "reason_code", "label", "points", "max_points"]
        return t[[*cols, "points_below_max"]].reset_index(drop=True)

    @property
    def max_score_(self) -> float:
        """The highest attainable score: every feature in its best bin."""
        check_is_fitted(self, "points_table_")
        if not self.features_:
            return float(self.offset_ - self.factor_ * float(self.params_["const"]))
        return float(self.points_table_.groupby("feature", sort=False)["points"].max().sum())

    @one_warning_per_call
    def reason_codes(self, X: Any, n: int = 4) -> pd.DataFrame:
        """Per applicant, the ``n`` features that cost the most points (points below maximum).

        For every feature, the points lost are the points of the feature's best attainable bin
        less the applicant's points on it (0 in the best bin). The ``n`` features with the most
        points lost are the applicant's reasons, largest first; the points lost of all the
        features add up to ``max_score - score``.

        Ties (points lost equal to 1e-9 points) are broken by the order of the features in
        ``features_``. Only features that cost points count: an applicant with fewer than
        ``n`` of them has empty (``None``/NaN) slots at the end.

        Parameters
        ----------
        X : DataFrame
            Applicants, with the scorecard's input columns.
        n : int, default 4
            Number of reasons per applicant (at least 1).

        Returns
        -------
        DataFrame
            Indexed like ``X``: ``score``, ``max_score``, ``points_below_max`` (``max_score -
            score``), then for ``k = 1..n``: ``reason_k`` (the stable code
            ``"<feature>:<bin code>"`` of :meth:`reason_code_table`), ``reason_k_feature``,
            ``reason_k_label`` (``"<feature>: <bin>"``, e.g. ``"age: [21, 25)"``) and
            ``reason_k_points`` (points lost).

        Examples
        --------
        >>> import numpy as np
        >>> from infodiv.datasets import load_german_credit
        >>> df = load_german_credit()
        >>> y = df.pop("default")
        >>> sc = Scorecard(min_iv=0.02, ci_method="wald", random_state=0).fit(df, y)
        >>> rc = sc.reason_codes(df.head(3), n=2)
        >>> list(rc.columns[:4])
        ['score', 'max_score', 'points_below_max', 'reason_1']
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise InvalidParameterError(f"n must be an integer >= 1 (reasons per row); got {n!r}")
        check_is_fitted(self, "points_table_")
        frame = as_frame(self, X, reset=False)
        index = X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(len(frame))
        rows = len(frame)
        table = self.reason_code_table()
        feats = list(self.features_)
        lost = np.zeros((rows, len(feats)))
        codes = np.empty((rows, len(feats)), dtype=object)
        labels = np.empty((rows, len(feats)), dtype=object)
        for j, f in enumerate(feats):
            tf = table[table["feature"] == f].set_index("code")
            c = self.encoder_.bins_[f].codes(frame[f])
            c = np.where(np.isin(c, tf.index.to_numpy()), c, -1)  # unseen categories
            lost[:, j] = tf["points_below_max"].reindex(c).to_numpy(dtype=float)
            codes[:, j] = tf["reason_code"].reindex(c).to_numpy()
            labels[:, j] = tf["label"].reindex(c).to_numpy()
        score = self.score(frame)
        top = self.max_score_
        out: dict[str, Any] = {
            "score": score,
            "max_score": np.full(rows, top),
            "points_below_max": top - score,
        }
        # order: most points lost first; ties (to 1e-9 points) by the feature's position
        key = np.round(lost, 9)
        order = np.lexsort((np.broadcast_to(np.arange(len(feats)), lost.shape), -key), axis=-1)
        rr = np.arange(rows)
        for k in range(n):
            if k < len(feats):
                sel = order[:, k]
                pos = key[rr, sel] > 0
                none = np.full(rows, None, dtype=object)
                out[f"reason_{k + 1}"] = np.where(pos, codes[rr, sel], none)
                out[f"reason_{k + 1}_feature"] = np.where(
                    pos, np.asarray(feats, dtype=object)[sel], none
                )
                out[f"reason_{k + 1}_label"] = np.where(pos, labels[rr, sel], none)
                out[f"reason_{k + 1}_points"] = np.where(pos, lost[rr, sel], np.nan)
            else:
                out[f"reason_{k + 1}"] = np.full(rows, None, dtype=object)
                out[f"reason_{k + 1}_feature"] = np.full(rows, None, dtype=object)
                out[f"reason_{k + 1}_label"] = np.full(rows, None, dtype=object)
                out[f"reason_{k + 1}_points"] = np.full(rows, np.nan)
        return pd.DataFrame(out, index=index)

    def export_scores(self, X: Any, path: str | Path, *, reason_codes: int = 0) -> Path:
        """Write every row's score (and its reason codes) to ``.csv`` or ``.json``.

        Parameters
        ----------
        X : DataFrame
            Applicants, with the scorecard's input columns.
        path : str or Path
            ``.csv``: one row per applicant (the columns of :meth:`reason_codes`, or ``score``
            only), with ``X``'s index as the first column ``id``. ``.json``: a list of records
            ``{"id", "score", "max_score", "points_below_max", "reasons": [{"rank", "code",
            "feature", "label", "points_lost"}, ...]}``.
        reason_codes : int, default 0
            Reasons per applicant (0: the scores only).

        Returns
        -------
        Path
            The file written.
        """
        path = Path(path)
        if path.suffix not in (".csv", ".json"):
            raise InvalidParameterError(f"path must end in .csv or .json; got {str(path)!r}")
        if isinstance(reason_codes, bool) or not isinstance(reason_codes, int | np.integer):
            raise InvalidParameterError(
                f"reason_codes must be an integer >= 0; got {reason_codes!r}"
            )
        if reason_codes < 0:
            raise InvalidParameterError(
                f"reason_codes must be an integer >= 0; got {reason_codes!r}"
            )
        if reason_codes:
            table = self.reason_codes(X, n=int(reason_codes))
        else:
            s = self.score(X)
            index = X.index if isinstance(X, pd.DataFrame) else pd.RangeIndex(len(s))
            table = pd.DataFrame({"score": s}, index=index)
        table = table.rename_axis("id")
        if path.suffix == ".csv":
            table.to_csv(path)
            return path
        records = []
        for idx, row in table.iterrows():
            rec: dict[str, Any] = {"id": _py(idx), "score": float(row["score"])}
            if reason_codes:
                rec["max_score"] = float(row["max_score"])
                rec["points_below_max"] = float(row["points_below_max"])
                rec["reasons"] = [
                    {
                        "rank": k,
                        "code": row[f"reason_{k}"],
                        "feature": row[f"reason_{k}_feature"],
                        "label": row[f"reason_{k}_label"],
                        "points_lost": float(row[f"reason_{k}_points"]),
                    }
                    for k in range(1, int(reason_codes) + 1)
                    if row[f"reason_{k}"] is not None
                ]
            records.append(rec)
        path.write_text(json.dumps(records, indent=1, default=_py))
        return path

    # ------------------------------------------------------------------ results
    def summary(self) -> pd.DataFrame:
        """The coefficients with SE, CI, z and p-value, and each feature's IV.

        The same table as ``result_.summary()``.

        Returns
        -------
        DataFrame
            ``estimate`` (the coefficient), ``se``, ``ci_low``, ``ci_high``, ``statistic`` (z),
            ``pvalue``, ``iv``; one row per coefficient, ``const`` first.
        """
        check_is_fitted(self, "result_")
        return self.result_.summary()

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Coefficient intervals (``result_.conf_int``).

        Parameters
        ----------
        alpha : float, optional
            Defaults to the scorecard's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` Series on the coefficients.
        """
        check_is_fitted(self, "result_")
        return self.result_.conf_int(alpha)

    def _repr_html_(self) -> str:
        if not hasattr(self, "model_"):
            return super()._repr_html_()
        return self.points_table_.to_html(float_format=lambda v: f"{v:.4g}", border=0)

    def to_dict(self) -> dict[str, Any]:
        """Scaling, coefficients, bins and points as a JSON-friendly dict."""
        check_is_fitted(self, "points_table_")
        feats = []
        for f in self.features_:
            t = self.points_table_[self.points_table_["feature"] == f]
            feats.append(
                {
                    "feature": f,
                    "coef": float(self.params_[f]),
                    "se": float(self.bse_[f]),
                    "bins": self.encoder_.bins_[f].to_dict(),
                    "points": [
                        {
                            "bin": r.bin,
                            "code": int(r.code),
                            "woe": float(r.woe),
                            "points": float(r.points),
                        }
                        for r in t.itertuples()
                    ],
                }
            )
        return {
            "pdo": float(self.pdo),
            "base_score": float(self.base_score),
            "base_odds": float(self.base_odds),
            "factor": self.factor_,
            "offset": self.offset_,
            "intercept": float(self.params_["const"]),
            "event": _py(self.classes_[1]),
            "features": feats,
        }

    def export(self, path: str | Path) -> Path:
        """Write the points table: ``.csv`` (the table) or ``.json`` (:meth:`to_dict`)."""
        path = Path(path)
        if path.suffix == ".csv":
            self.points_table_.to_csv(path, index=False)
        elif path.suffix == ".json":
            path.write_text(json.dumps(self.to_dict(), indent=2, default=_py))
        else:
            raise InvalidParameterError(f"path must end in .csv or .json; got {str(path)!r}")
        return path

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.classifier_tags.multi_class = False
        return tags


def _n_folds(enc: WoEEncoder, y: np.ndarray) -> int:
    """Number of cross-fitting folds of the encoder (the bootstrap draws that many)."""
    cv = enc.cv
    if isinstance(cv, int | np.integer):
        return int(cv)
    if hasattr(cv, "get_n_splits"):
        return int(cv.get_n_splits(np.zeros((len(y), 1)), y))
    return len(cv) if hasattr(cv, "__len__") else 5


def _bootstrap_rng(random_state: Any) -> np.random.Generator:
    """The bootstrap's generator: ``default_rng(random_state)``; a RandomState draws a seed."""
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(int(random_state.randint(2**31 - 1)))
    return np.random.default_rng(random_state)


def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


# ---------------------------------------------------------------------- pipeline bootstrap
def _woe_from_counts(
    bad: np.ndarray, good: np.ndarray, off: np.ndarray, sign: float, unknown: float
) -> np.ndarray:
    """WoE of concatenated per-feature bins from (weighted) counts, the encoder's rules.

    ``bad``/``good`` hold every feature's bins one after the other along the last axis, feature
    ``j`` starting at ``off[j]`` (leading axes: e.g. one row per fold). A bin empty in one
    class only gets half an observation in both (the zero-cell rule of :mod:`infodiv.core`); a
    bin empty in both has no WoE and gets ``unknown``.
    """
    one = (bad > 0) != (good > 0)
    b = bad + 0.5 * one
    g = good + 0.5 * one
    size = bad.shape[-1]
    seg = np.repeat(np.arange(len(off)), np.diff(np.append(off, size)))
    tb = np.add.reduceat(b, off, axis=-1)[..., seg]
    tg = np.add.reduceat(g, off, axis=-1)[..., seg]
    with np.errstate(divide="ignore", invalid="ignore"):
        woe = sign * np.log((b / tb) / (g / tg))
    return np.where((bad > 0) | (good > 0), woe, unknown)


def _logit_newton(
    exog: np.ndarray, y: np.ndarray, w: np.ndarray, start: np.ndarray, max_iter: int = 50
) -> np.ndarray | None:
    """Weighted logistic MLE by Newton's method from ``start``; None if it does not converge."""
    beta = start.astype(float).copy()
    for _ in range(max_iter):
        mu = special.expit(exog @ beta)
        v = w * mu * (1.0 - mu)
        grad = exog.T @ (w * (y - mu))
        hess = (exog * v[:, None]).T @ exog
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            return None
        if not np.isfinite(step).all():
            return None
        beta += step
        if np.max(np.abs(step)) < 1e-9 * (1.0 + np.max(np.abs(beta))):
            return beta
    return None


def _encode_codes(
    codes: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    fold: np.ndarray | None,
    off: np.ndarray,
    unseen: np.ndarray,
    sign: float,
    unknown: float,
) -> np.ndarray:
    """The WoE design of one sample: in-sample (``fold`` None) or cross-fitted by ``fold``.

    ``codes`` (rows x features) index the concatenated bins; ``unseen`` are the slots of codes
    without a bin (no WoE). Cross-fitted: a row of fold ``f`` gets the WoE of the counts of the
    other folds (all counts less fold ``f``'s), as :meth:`WoEEncoder.fit_transform` with the
    same bins. Weights should be of order 1 (training counts are differences of sums).
    """
    n, m = codes.shape
    if m == 0:  # intercept only
        return np.empty(codes.shape)
    size = int(unseen[-1]) + 1
    f = np.zeros(n, dtype=np.int64) if fold is None else np.asarray(fold, dtype=np.int64)
    k = int(f.max()) + 1 if n else 1
    cell = ((f * 2 + (y > 0.5)) * size)[:, None] + codes
    cnt = np.bincount(cell.ravel(), np.repeat(w, m), minlength=k * 2 * size)
    cnt = cnt.reshape(k, 2, size)
    if fold is not None:
        cnt = cnt.sum(axis=0, keepdims=True) - cnt
        cnt[cnt < 1e-9] = 0.0  # round-off of weighted differences
    cnt[:, :, unseen] = 0.0
    woe = _woe_from_counts(cnt[:, 1, :], cnt[:, 0, :], off, sign, unknown)
    return woe[f[:, None], codes]


def _pipeline_bootstrap(
    codes: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    n_folds: int,
    off: np.ndarray,
    unseen: np.ndarray,
    sign: float,
    unknown: float,
    beta: np.ndarray,
    n_boot: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap of WoE estimation + logistic fit with the scorecard's bins held fixed.

    Rows are resampled within each class (the class counts stay fixed). With ``n_folds`` (0:
    in-sample WoE) every replicate cross-fits on fresh stratified folds of its own rows, as the
    fit does on the sample: the encoding depends on a row only through its bins and class, so a
    copied row is just another row of the same cells (a bootstrap sample is an i.i.d. sample of
    the empirical law, whose atoms repeat). Folds of the original rows instead would make every
    replicate's test and training counts split a fixed total, and overstate the attenuation. Returns the
    replicate coefficients (rows that failed to converge are NaN) and ``theta``, the logistic
    fit on the in-sample WoE of the whole sample: the coefficient the bootstrap world holds
    true (the regression on its own population WoE of the same bins).
    """
    n = len(y)
    ones = np.ones((n, 1))
    z_in = _encode_codes(codes, y, w, None, off, unseen, sign, unknown)
    theta = _logit_newton(np.hstack([ones, z_in]), y, w, beta)
    if theta is None:
        theta = np.full(len(beta), np.nan)
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    out = np.full((n_boot, len(beta)), np.nan)
    for b in range(n_boot):
        idx = np.concatenate(
            [pos[rng.integers(0, len(pos), len(pos))], neg[rng.integers(0, len(neg), len(neg))]]
        )
        yb, wb = y[idx], w[idx]
        fb = None
        if n_folds:
            # fresh stratified folds of the replicate's rows, as the fit's folds of its rows
            fb = np.empty(n, dtype=np.int64)
            fb[rng.permutation(len(pos))] = np.arange(len(pos)) % n_folds
            fb[len(pos) + rng.permutation(len(neg))] = np.arange(len(neg)) % n_folds
        z = _encode_codes(codes[idx], yb, wb, fb, off, unseen, sign, unknown)
        est = _logit_newton(np.hstack([ones, z]), yb, wb, beta)
        if est is not None:
            out[b] = est
    return out, theta
