"""A WoE logistic scorecard on given bins: the model behind each point of the fairness frontier.

Stand-in for the binning layer's ``Scorecard`` with the same interface (``predict_proba``,
``score(X)`` returning points, a points table): the fairness frontier fits one per point on the
bins the selection programme chose. WoE per bin comes from the count table through
:class:`infodiv.woe.WoETable` (bad/good convention: higher WoE = riskier); the logistic
regression on the WoE columns is statsmodels' binomial GLM, so the coefficients carry SEs.

Points follow the industry scaling: ``factor = pdo / ln 2``, ``offset = base_score - factor
ln(base_odds)``, ``points = offset + factor ln(odds good:bad)``; so ``pdo`` points double the
good:bad odds and ``base_score`` points mean odds of ``base_odds``:1.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from infodiv._validation import check_binary_target, check_same_length, check_sample_weight
from infodiv.bins import FeatureBins
from infodiv.counts import CountTable
from infodiv.woe import WoETable

__all__ = ["FrontierScorecard"]


class FrontierScorecard(BaseEstimator):
    """Logistic regression (or a plain WoE sum) on the WoE of given bins, with points scaling.

    Parameters
    ----------
    bins : dict
        ``{feature: FeatureBins}``: the features used and their bins. Only these columns of
        ``X`` are read, so protected attributes are never inputs unless listed here.
    model : {"logistic", "woe_sum"}
        ``"logistic"``: binomial GLM on the WoE columns (coefficients with SEs). ``"woe_sum"``:
        every coefficient 1 and the intercept the training log-odds (the naive-Bayes score the
        selection programme's score-gap budget is exact for).
    pdo, base_score, base_odds : float
        Points scaling (points to double the odds, score at ``base_odds`` good:bad).

    Attributes
    ----------
    features_ : list of str
    woe_tables_ : dict of WoETable
    coef_ : Series
        Coefficient per feature (WoE units).
    intercept_ : float
    bse_ : Series
        Standard errors of intercept and coefficients (NaN for ``"woe_sum"``).

    Examples
    --------
    >>> from infodiv.datasets import load_simucredit
    >>> from infodiv.bins import FeatureBins
    >>> df = load_simucredit()
    >>> sc = FrontierScorecard({"Delinquency": FeatureBins("Delinquency", edges=(1.0, 2.0))})
    >>> sc = sc.fit(df, df["default"])
    >>> sc.predict_proba(df.head(2)).shape
    (2, 2)
    """

    def __init__(
        self,
        bins: Mapping[str, FeatureBins] | None = None,
        model: Literal["logistic", "woe_sum"] = "logistic",
        pdo: float = 20.0,
        base_score: float = 600.0,
        base_odds: float = 50.0,
    ):
        self.bins = bins
        self.model = model
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds

    def fit(self, X: pd.DataFrame, y: Any, sample_weight: Any = None) -> FrontierScorecard:
        if not isinstance(self.bins, Mapping) or not self.bins:
            raise ValueError(f"bins must be a non-empty dict {{feature: FeatureBins}}; got {self.bins!r}")
        if self.model not in ("logistic", "woe_sum"):
            raise ValueError(f"model must be 'logistic' or 'woe_sum'; got {self.model!r}")
        for nm in ("pdo", "base_odds"):
            v = getattr(self, nm)
            if not (np.isfinite(v) and v > 0):
                raise ValueError(f"{nm} must be positive; got {v!r}")
        if not isinstance(X, pd.DataFrame):
            raise ValueError(f"X must be a pandas DataFrame; got {type(X).__name__}")
        yy = check_binary_target(y)
        check_same_length({"X": X, "y": yy})
        w = check_sample_weight(sample_weight, len(X))
        missing = [f for f in self.bins if f not in X.columns]
        if missing:
            raise ValueError(f"X lacks the columns {missing} named in bins")
        self.features_ = [str(f) for f in self.bins]
        counts = CountTable.from_frame(X[self.features_], dict(self.bins), {"class": yy}, w)
        self.woe_tables_ = {}
        self._woe: dict[str, np.ndarray] = {}
        for f in self.features_:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # zero cells: smoothed, documented
                t = WoETable.from_count_table(counts, f, bins=self.bins[f])
            self.woe_tables_[f] = t
            # A bin with no training row (e.g. the missing bin) scores neutral: WoE 0.
            self._woe[f] = np.nan_to_num(t.woe.to_numpy(dtype=float), nan=0.0)
        W = self._woe_matrix(X)
        if self.model == "woe_sum":
            self.intercept_ = float(np.log(w[yy == 1].sum() / w[yy == 0].sum()))
            self.coef_ = pd.Series(1.0, index=self.features_, name="coef")
            self.bse_ = pd.Series(np.nan, index=["intercept", *self.features_], name="se")
        else:
            import statsmodels.api as sm

            design = np.column_stack([np.ones(len(W)), W])
            glm = sm.GLM(yy, design, family=sm.families.Binomial(), freq_weights=w)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = glm.fit()
            params = np.asarray(res.params, dtype=float)
            if not np.isfinite(params).all():
                raise ValueError("the logistic regression on the WoE columns did not converge")
            self.intercept_ = float(params[0])
            self.coef_ = pd.Series(params[1:], index=self.features_, name="coef")
            self.bse_ = pd.Series(np.asarray(res.bse, dtype=float),
                                  index=["intercept", *self.features_], name="se")
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = len(self.features_)
        return self

    # ------------------------------------------------------------------ prediction
    def _woe_matrix(self, X: pd.DataFrame) -> np.ndarray:
        if not isinstance(X, pd.DataFrame):
            raise ValueError(f"X must be a pandas DataFrame; got {type(X).__name__}")
        missing = [f for f in self.features_ if f not in X.columns]
        if missing:
            raise ValueError(f"X lacks the scorecard's columns {missing}")
        cols = []
        for f in self.features_:
            codes = self.bins[f].codes(X[f])
            if (codes < 0).any():
                raise ValueError(
                    f"column {f!r} has {int((codes < 0).sum())} rows with unseen categories"
                )
            cols.append(self._woe[f][codes])
        return np.column_stack(cols) if cols else np.empty((len(X), 0))

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """WoE of every scorecard feature (bad/good: higher = riskier)."""
        check_is_fitted(self, "coef_")
        return pd.DataFrame(self._woe_matrix(X), index=X.index, columns=self.features_)

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """Log-odds of bad."""
        check_is_fitted(self, "coef_")
        return self.intercept_ + self._woe_matrix(X) @ self.coef_.to_numpy()

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Columns: P(good), P(bad)."""
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return (self.decision_function(X) >= 0).astype(int)

    @property
    def _factor(self) -> float:
        return self.pdo / np.log(2.0)

    @property
    def _offset(self) -> float:
        return self.base_score - self._factor * np.log(self.base_odds)

    def score(self, X: pd.DataFrame) -> np.ndarray:
        """Points: ``offset + factor ln(odds good:bad)`` (higher = safer)."""
        return self._offset - self._factor * self.decision_function(X)

    def points_table(self) -> pd.DataFrame:
        """Points per feature and bin; a row's points sum with the others' to :meth:`score`.

        The intercept's points are spread evenly over the features.
        """
        check_is_fitted(self, "coef_")
        share = (self._offset - self._factor * self.intercept_) / len(self.features_)
        rows = []
        for f in self.features_:
            t = self.woe_tables_[f].table.iloc[:-1]
            for label, woe, n in zip(t["bin"], self._woe[f], t["count"], strict=True):
                rows.append({"feature": f, "bin": label, "count": n, "woe": woe,
                             "coef": self.coef_[f],
                             "points": share - self._factor * self.coef_[f] * woe})
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """Coefficients with SEs and each feature's training IV."""
        check_is_fitted(self, "coef_")
        iv = {f: self.woe_tables_[f].iv.estimate for f in self.features_}
        return pd.DataFrame(
            {
                "coef": [self.intercept_, *self.coef_.to_numpy()],
                "se": self.bse_.to_numpy(),
                "iv_train": [np.nan, *[iv[f] for f in self.features_]],
                "n_bins": [np.nan, *[self.bins[f].n_bins for f in self.features_]],
            },
            index=["intercept", *self.features_],
        )

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.input_tags.categorical = True
        tags.input_tags.allow_nan = True
        return tags
