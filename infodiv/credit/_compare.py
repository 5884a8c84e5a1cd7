"""The three-encoding comparison: one-hot bins + LR, WoE + LR, monotone depth-1 XGBoost.

All three use the same training/holdout split. The two logistic regressions share the bins of
one :class:`~infodiv.binning.StumpBinner` with ``n_estimators`` rounds; the XGBoost model
has depth-1 trees, the same number of rounds and the same monotone directions (``trend_`` of
the binner: with the default ``monotone_trend="auto"``, a column whose binning is significantly
non-monotone is left unconstrained; categorical columns are never constrained). On the holdout each model gets:

* AUC with a DeLong SE and 95% interval, and DeLong's paired test against WoE + LR;
* KS: the largest gap between the score distributions of events and non-events;
* Brier score;
* calibration: intercept (calibration-in-the-large, slope fixed at 1) and slope of the
  logistic recalibration ``logit P(y) = a + b logit(p)``, and the expected calibration error
  over ten equal-count bins of ``p``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.preprocessing import OneHotEncoder

from infodiv._validation import align_inputs, check_binary_target, check_same_length
from infodiv.binning import StumpBinner
from infodiv.core import ConfidenceInterval, ResultBase, order_columns
from infodiv.credit._metrics import auc, auc_difference, calibration_summary, ks_statistic
from infodiv.credit._woe_encoder import WoEEncoder
from infodiv.exceptions import InvalidParameterError, UnseenCategoryWarning

__all__ = ["EncodingComparison", "compare_encodings"]

ENCODINGS = ("one-hot bins + LR", "WoE + LR", "depth-1 XGBoost")


@dataclass(repr=False)
class EncodingComparison(ResultBase):
    """Holdout metrics of the three encodings (see the module docstring).

    A vector result indexed by encoding: the estimate is each encoding's holdout AUC.

    Attributes
    ----------
    table : DataFrame
        One row per encoding: ``auc``, ``auc_se``, ``auc_ci_low``, ``auc_ci_high``,
        ``auc_diff_vs_woe``, ``auc_diff_pvalue``, ``ks``, ``brier``, ``cal_intercept``,
        ``cal_slope``, ``ece``.
    predictions : dict of str -> ndarray
        Holdout probabilities of each encoding.
    n_estimators : int
    models : dict
        The fitted models and the WoE encoder.
    """

    table: pd.DataFrame
    predictions: dict[str, np.ndarray] = field(default_factory=dict)
    n_estimators: int = 50
    models: dict[str, Any] = field(default_factory=dict)

    @property
    def estimate(self) -> pd.Series:
        """Holdout AUC of each encoding."""
        return self.table["auc"]

    @property
    def se(self) -> pd.Series:
        """DeLong SE of each AUC."""
        return self.table["auc_se"]

    def summary(self) -> pd.DataFrame:
        """The table with the AUC columns named ``estimate, se, ci_low, ci_high`` and first.

        Returns
        -------
        pandas.DataFrame
            One row per encoding: :attr:`table` with ``auc, auc_se, auc_ci_low, auc_ci_high``
            renamed ``estimate, se, ci_low, ci_high`` and put first.
        """
        names = {
            "auc": "estimate",
            "auc_se": "se",
            "auc_ci_low": "ci_low",
            "auc_ci_high": "ci_high",
        }
        return order_columns(self.table.rename(columns=names))

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """AUC intervals (95% as computed; recomputed on the logit scale for another level).

        Parameters
        ----------
        alpha : float, optional
            Default 0.05.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` Series indexed by encoding.
        """
        if alpha is None or alpha == 0.05:
            return ConfidenceInterval(
                self.table["auc_ci_low"].rename("low"), self.table["auc_ci_high"].rename("high")
            )
        z = stats.norm.ppf(1 - alpha / 2)
        a, s = self.table["auc"], self.table["auc_se"]
        lse = s / (a * (1 - a))
        return ConfidenceInterval(
            special.expit(special.logit(a) - z * lse).rename("low"),
            special.expit(special.logit(a) + z * lse).rename("high"),
        )

    def __repr__(self) -> str:
        cols = ["auc", "auc_ci_low", "auc_ci_high", "ks", "brier", "cal_slope", "ece"]
        with pd.option_context("display.width", 160):
            body = self.table[cols].to_string(float_format=lambda v: f"{v:.4f}")
        return f"EncodingComparison({self.n_estimators} rounds)\n{body}"


def compare_encodings(
    X_train: pd.DataFrame,
    y_train: Any,
    X_test: pd.DataFrame,
    y_test: Any,
    *,
    n_estimators: int = 50,
    learning_rate: float = 0.3,
    binner: StumpBinner | None = None,
    C: float = 1.0,
    random_state: int | None = 0,
    event: Any = None,
) -> EncodingComparison:
    """Fit the three encodings on the training rows and score them on the holdout.

    Parameters
    ----------
    X_train, X_test : DataFrame
        Same columns; categorical columns as pandas ``category``.
    y_train, y_test : array-like
        Binary targets: 0/1 or boolean (1/``True`` = event), or two labels with ``event``.
        Pandas targets are matched to ``X_train``/``X_test`` by index label.
    n_estimators : int
        Rounds of the binning stumps and of the depth-1 XGBoost model.
    learning_rate : float
        Of both xgboost fits.
    binner : StumpBinner, optional
        Default ``StumpBinner(n_estimators=n_estimators, learning_rate=learning_rate)``.
    C : float
        Inverse L2 penalty of both logistic regressions (scikit-learn's default 1.0).
    random_state : int, optional
        Seeds the binner, the encoder's folds and xgboost.
    event : label, optional
        The event class of the targets: needed unless they are 0/1 or boolean.

    Returns
    -------
    EncodingComparison
        ``table``: one row per encoding with ``auc``, ``auc_se``, ``auc_ci_low``,
        ``auc_ci_high``, ``auc_diff_vs_woe``, ``auc_diff_pvalue``, ``ks``, ``brier``,
        ``cal_intercept``, ``cal_slope``, ``ece``; ``predictions``: holdout probabilities.
    """
    import xgboost as xgb

    y_train = align_inputs({"X_train": X_train, "y_train": y_train})["y_train"]
    y_test = align_inputs({"X_test": X_test, "y_test": y_test})["y_test"]
    ytr = check_binary_target(y_train, "y_train", event)
    yte = check_binary_target(y_test, "y_test", event)
    check_same_length({"X_train": X_train, "y_train": ytr})
    check_same_length({"X_test": X_test, "y_test": yte})
    if list(X_train.columns) != list(X_test.columns):
        raise InvalidParameterError(
            "X_train and X_test must have the same columns in the same order"
        )
    binner = (
        binner
        if binner is not None
        else StumpBinner(
            n_estimators=n_estimators, learning_rate=learning_rate, random_state=random_state
        )
    )
    enc = WoEEncoder(binner=binner, random_state=random_state)
    z_train = enc.fit_transform(X_train, ytr)  # cross-fitted WoE for the regression
    with warnings.catch_warnings():
        # unseen categories and empty bins get the documented unknown_value
        warnings.simplefilter("ignore", UnseenCategoryWarning)
        z_test = enc.transform(X_test)
    fitted = enc.binner_
    assert fitted is not None  # no bins= given: fit sets binner_ to the fitted binner
    lr_woe = LogisticRegression(C=C, max_iter=5000).fit(z_train, ytr)

    onehot = OneHotEncoder(handle_unknown="ignore")
    with warnings.catch_warnings():
        # unseen categories get the binner's 'unseen' bin, which the one-hot encoder maps to
        # all zeros (its handle_unknown="ignore" note)
        warnings.simplefilter("ignore", UnseenCategoryWarning)
        warnings.filterwarnings("ignore", message="Found unknown categories", category=UserWarning)
        c_train = onehot.fit_transform(fitted.transform(X_train))
        c_test = onehot.transform(fitted.transform(X_test))
    lr_onehot = LogisticRegression(C=C, max_iter=5000).fit(c_train, ytr)

    cons = [0 if not fitted.bins_[f].is_numeric else fitted.trend_[f] for f in fitted.features_]
    model = xgb.XGBClassifier(
        max_depth=1,
        n_estimators=n_estimators,
        learning_rate=learning_rate,
        tree_method="hist",
        monotone_constraints=tuple(cons),
        enable_categorical=True,
        n_jobs=1,
        random_state=random_state if random_state is not None else 0,
    )
    model.fit(X_train, ytr)

    preds = {
        ENCODINGS[0]: lr_onehot.predict_proba(c_test)[:, 1],
        ENCODINGS[1]: lr_woe.predict_proba(z_test)[:, 1],
        ENCODINGS[2]: model.predict_proba(X_test)[:, 1],
    }
    rows = []
    for name, p in preds.items():
        a = auc(yte, p, name=name)
        lo, hi = a.conf_int()
        diff = auc_difference(yte, p, preds[ENCODINGS[1]]) if name != ENCODINGS[1] else None
        cal = calibration_summary(yte, p)
        rows.append(
            {
                "encoding": name,
                "auc": a.estimate,
                "auc_se": a.se,
                "auc_ci_low": lo,
                "auc_ci_high": hi,
                "auc_diff_vs_woe": np.nan if diff is None else diff.estimate,
                "auc_diff_pvalue": np.nan if diff is None else diff.pvalue,
                "ks": ks_statistic(yte, p),
                "brier": brier_score_loss(yte, p),
                "cal_intercept": cal.intercept,
                "cal_slope": cal.slope,
                "ece": cal.ece,
            }
        )
    table = pd.DataFrame(rows).set_index("encoding")
    models = {ENCODINGS[0]: lr_onehot, ENCODINGS[1]: lr_woe, ENCODINGS[2]: model, "encoder": enc}
    return EncodingComparison(table, preds, n_estimators, models)
