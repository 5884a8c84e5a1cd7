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

from infodiv._param_validation import Interval, validate_estimator_params
from infodiv._sklearn import as_frame, fit_inputs
from infodiv._validation import check_alpha, one_warning_per_call
from infodiv.core import ConfidenceInterval, ResultBase
from infodiv.credit._woe_encoder import WoEEncoder
from infodiv.exceptions import InvalidParameterError

__all__ = ["Scorecard", "ScorecardResult"]


class ScorecardResult(ResultBase):
    """The coefficients of a fitted :class:`Scorecard`, as statsmodels reports them.

    A vector result on ``["const", *features]``: ``params`` the coefficients, ``bse`` their
    SEs, ``tvalues`` (z) and ``pvalues`` of H0: coefficient = 0, Wald intervals.

    Parameters
    ----------
    params, bse : Series
        Coefficients and their standard errors (``const`` first).
    iv : Series
        IV of each feature (NaN for ``const``).
    alpha : float
        Level of the default interval.
    """

    def __init__(self, params: pd.Series, bse: pd.Series, iv: pd.Series, alpha: float) -> None:
        self._params = params.copy()
        self._bse = bse.reindex(params.index)
        self.iv = iv.reindex(params.index)
        self.alpha = alpha

    @property
    def estimate(self) -> pd.Series:
        """The coefficients."""
        return self._params

    @property
    def se(self) -> pd.Series:
        """Their standard errors."""
        return self._bse

    @property
    def tvalues(self) -> pd.Series:
        """Wald z statistics ``params / bse``."""
        return self._params / self._bse

    statistic = tvalues

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided p-values of the z tests (normal law, as statsmodels' GLM)."""
        return pd.Series(2 * stats.norm.sf(np.abs(self.tvalues)), index=self._params.index)

    pvalue = pvalues

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Wald intervals ``params +/- z_{1 - alpha/2} bse`` (statsmodels' ``conf_int``).

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
        z = stats.norm.ppf(1 - a / 2)
        return ConfidenceInterval(
            (self._params - z * self._bse).rename("low"),
            (self._params + z * self._bse).rename("high"),
        )

    def summary(self) -> pd.DataFrame:
        """Per coefficient: ``estimate, se, ci_low, ci_high, statistic, pvalue, iv``.

        Returns
        -------
        pandas.DataFrame
            One row per coefficient (``const`` first): the coefficient, its SE, the default
            Wald interval, the z statistic, the two-sided p-value and the feature's IV.
        """
        return self._frame(statistic=self.tvalues, pvalue=self.pvalues, iv=self.iv)

    def __repr__(self) -> str:
        with pd.option_context("display.width", 160):
            body = self.summary().to_string(float_format=lambda v: f"{v:.4g}")
        return f"ScorecardResult({len(self._params) - 1} features, alpha {self.alpha:g})\n{body}"


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
    random_state : int, RandomState or None
        Seeds the default encoder's folds.

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
        Coefficients (``const`` first) and their SEs.
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
        self.bse_ = self.model_.bse.copy()
        self.intercept_ = np.array([float(self.params_["const"])])
        coef = np.zeros((1, len(names)))
        coef[0, keep] = self.params_[self.features_].to_numpy()
        self.coef_ = coef
        self.factor_ = float(self.pdo) / math.log(2.0)
        self.offset_ = float(self.base_score) - self.factor_ * math.log(float(self.base_odds))
        self.points_table_ = self._points_table()
        iv = pd.Series({f: float(iv.loc[f, "iv"]) for f in self.features_}, dtype=float)
        self.result_ = ScorecardResult(self.params_, self.bse_, iv, self.alpha)
        return self

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


def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v
