"""The validation pack: the supervisor's test set on a development and a current sample.

:func:`validation_pack` runs every test of ``docs/validation.md`` on a development sample
(``dev``, the initial validation) and a current sample and returns a
:class:`ValidationResult`:

- ``tests``: one row per test (section, test, null hypothesis, estimate, statistic,
  p-value, status green / amber / red against :data:`DEFAULT_THRESHOLDS`, detail);
- ``sections``: the results objects and tables, by section (``calibration``,
  ``discrimination``, ``concentration``, ``stability``, ``representativeness``, ``model``);
- ``absent``: the sections left out and why (no id column: no migration matrix; a plain
  score: no model checks);
- ``curves``: the data of the plots (ROC, CAP, calibration by grade with Jeffreys
  intervals, score distribution by class, migration matrix);
- ``to_dict()``: all of it JSON-able (snake_case keys, tables as records, numbers as numbers).

Conventions: grade 1 is the best grade (lowest PD); calibration tests are one-sided
(underestimation of the PD), except Hosmer-Lemeshow (chi-square) and Spiegelhalter
(two-sided); grade PDs are count-weighted means of the rows' PDs; per-grade p-values are
unadjusted with a Holm-adjusted column, and the summary row of a per-grade test uses the
smallest Holm-adjusted p-value. The default definition and horizon are the user's (the
``target`` column).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from infodiv._param_validation import Interval, StrOptions, validate_params
from infodiv._validation import check_alpha, check_binary_target
from infodiv.core import ResultBase
from infodiv.credit._grades import RatingGrades, rating_grades
from infodiv.credit._metrics import auc
from infodiv.credit._psi import psi_summary
from infodiv.credit._vtests import (
    PORTFOLIO,
    auc_change_test,
    binomial_test,
    cap_curve,
    concentration,
    concentration_test,
    hosmer_lemeshow,
    jeffreys_test,
    ks_test,
    migration_matrix,
    roc_curve,
    spiegelhalter_test,
)
from infodiv.credit._woe import iv_summary
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "DEFAULT_THRESHOLDS",
    "SECTIONS",
    "ValidationResult",
    "check_thresholds",
    "model_checks",
    "representativeness",
    "status_of",
    "validation_pack",
]

#: The sections of a :class:`ValidationResult`, in report order.
SECTIONS = (
    "calibration",
    "discrimination",
    "concentration",
    "stability",
    "representativeness",
    "model",
)

#: Status thresholds ``(amber, red)``, one name per quantity, of every status of the
#: validation pack (:attr:`ValidationResult.tests`) and of ``infodiv report``'s summary:
#:
#: - ``pvalue``: a test whose rejection is bad is amber below 0.05, red below 0.01;
#: - ``auc``: the AUC is amber below 0.70, red below 0.60;
#: - ``psi``: the customary PSI traffic light, amber from 0.10, red from 0.25;
#: - ``herfindahl``: the normalised Herfindahl index, amber from 0.20, red from 0.30;
#: - ``mwb``: the matrix weighted bandwidths, amber from 0.10, red from 0.20;
#: - ``vif``: the largest VIF, amber from 5, red from 10;
#: - ``coef_pvalue``: the largest coefficient p-value, amber above 0.05, red above 0.10;
#: - ``fairness``: the fairness IV of the score between protected groups (``infodiv
#:   report``), amber from 0.02, red from 0.10.
#:
#: A test whose rejection is good (KS: "no discrimination") is green when its p-value is
#: below the amber p-value threshold, red otherwise. :func:`check_thresholds` merges
#: overrides into these defaults; :func:`status_of` reads a value against them.
DEFAULT_THRESHOLDS: dict[str, tuple[float, float]] = {
    "pvalue": (0.05, 0.01),
    "auc": (0.70, 0.60),
    "psi": (0.10, 0.25),
    "herfindahl": (0.20, 0.30),
    "mwb": (0.10, 0.20),
    "vif": (5.0, 10.0),
    "coef_pvalue": (0.05, 0.10),
    "fairness": (0.02, 0.10),
}

#: Rows of the tests table are lower-is-worse for these keys (status when below the cut).
_LOWER_IS_WORSE = {"auc"}

TEST_COLUMNS = [
    "section",
    "test",
    "null_hypothesis",
    "estimate",
    "statistic",
    "pvalue",
    "status",
    "detail",
]


def check_thresholds(thresholds: Mapping[str, Any] | None = None) -> dict[str, tuple[float, float]]:
    """Merge status thresholds into :data:`DEFAULT_THRESHOLDS` and check them.

    Parameters
    ----------
    thresholds : dict, optional
        ``{name: (amber, red)}`` for some names of :data:`DEFAULT_THRESHOLDS`; the others
        keep their defaults. For ``pvalue`` and ``auc`` (lower is worse) red must not exceed
        amber; for the others red must not be below amber.

    Returns
    -------
    dict of str to (float, float)
        Every name with its ``(amber, red)`` pair.

    Raises
    ------
    InvalidParameterError
        An unknown name, a value that is not a pair of finite numbers, or a pair in the
        wrong order.

    Examples
    --------
    >>> check_thresholds({"psi": (0.1, 0.2)})["psi"]
    (0.1, 0.2)
    """
    out = dict(DEFAULT_THRESHOLDS)
    if thresholds is None:
        return out
    if not isinstance(thresholds, Mapping):
        raise InvalidParameterError(
            f"thresholds must be a dict {{name: (amber, red)}}; got {type(thresholds).__name__}"
        )
    for k, v in thresholds.items():
        if k not in DEFAULT_THRESHOLDS:
            raise InvalidParameterError(
                f"thresholds: unknown name {k!r}; known: {sorted(DEFAULT_THRESHOLDS)}"
            )
        try:
            if isinstance(v, str | bytes):
                raise TypeError
            amber, red = (float(x) for x in v)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"thresholds[{k!r}] must be a pair (amber, red) of numbers; got {v!r}"
            ) from None
        if not (math.isfinite(amber) and math.isfinite(red)):
            raise InvalidParameterError(f"thresholds[{k!r}] must be finite; got {v!r}")
        if k == "pvalue" and not (0 < red <= amber < 1):
            raise InvalidParameterError(
                f"thresholds['pvalue'] must satisfy 0 < red <= amber < 1; got {v!r}"
            )
        if k in _LOWER_IS_WORSE and red > amber:
            raise InvalidParameterError(f"thresholds[{k!r}]: red must be <= amber; got {v!r}")
        if k not in _LOWER_IS_WORSE and k != "pvalue" and red < amber:
            raise InvalidParameterError(f"thresholds[{k!r}]: red must be >= amber; got {v!r}")
        out[k] = (amber, red)
    return out


def status_of(value: float, key: str, thresholds: Mapping[str, tuple[float, float]]) -> str:
    """``"green"``, ``"amber"`` or ``"red"`` of ``value`` against ``thresholds[key]``.

    ``pvalue`` and ``auc`` are worse when lower (red below the red cut, amber below the amber
    one); ``coef_pvalue`` is worse when higher (strictly above the cuts); the other names are
    worse when higher (at or above the cuts).

    Parameters
    ----------
    value : float
        The p-value (``key="pvalue"``) or the measure.
    key : str
        A name of :data:`DEFAULT_THRESHOLDS`.
    thresholds : mapping
        ``{name: (amber, red)}`` (e.g. from :func:`check_thresholds`).

    Returns
    -------
    str
        The status (``"green"`` for NaN: nothing to flag).

    Examples
    --------
    >>> th = check_thresholds()
    >>> status_of(0.03, "pvalue", th), status_of(0.65, "auc", th), status_of(0.3, "psi", th)
    ('amber', 'amber', 'red')
    """
    amber, red = thresholds[key]
    if value is None or not np.isfinite(value):
        return "green"
    if key == "pvalue":
        return "red" if value < red else "amber" if value < amber else "green"
    if key in _LOWER_IS_WORSE:
        return "red" if value < red else "amber" if value < amber else "green"
    if key == "coef_pvalue":
        return "red" if value > red else "amber" if value > amber else "green"
    return "red" if value >= red else "amber" if value >= amber else "green"


# ---------------------------------------------------------------------------- JSON helpers
def _py(v: Any) -> Any:
    """A JSON-able Python value: numbers as numbers, NaN/inf as None."""
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, Integral | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        f = float(v)
        return f if math.isfinite(f) else None
    if v is None or (not isinstance(v, str) and not hasattr(v, "__len__") and pd.isna(v)):
        return None
    if isinstance(v, list | tuple | np.ndarray):
        return [_py(x) for x in v]
    if isinstance(v, Mapping):
        return {str(k): _py(x) for k, x in v.items()}
    return v if isinstance(v, str | int | float) else str(v)


def _snake(name: Any) -> str:
    s = "".join(c if c.isalnum() else "_" for c in str(name).strip().lower())
    while "__" in s:
        s = s.replace("__", "_")
    return s.strip("_") or "value"


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table as a list of records: the index as its own column, snake_case keys.

    Parameters
    ----------
    frame : DataFrame
        The table.

    Returns
    -------
    list of dict
        One dict per row; numbers as numbers, NaN and infinities as ``None``; a column whose
        values mix numbers and text (grades and ``"portfolio"``) as text.
    """
    f = frame.copy()
    if not isinstance(f.index, pd.RangeIndex) or f.index.name is not None:
        names = [n if n is not None else "name" for n in f.index.names]
        f.index = f.index.set_names(names)
        f = f.reset_index()
    f.columns = [_snake(c) for c in f.columns]
    for c in f.columns:  # one type per column: labels mixing numbers and text become text
        if f[c].dtype == object:
            kinds = {type(_py(v)) for v in f[c] if _py(v) is not None}
            if len(kinds) > 1:
                f[c] = [None if _py(v) is None else str(v) for v in f[c]]
    return [{k: _py(v) for k, v in row.items()} for row in f.to_dict("records")]


def jsonable(obj: Any) -> Any:
    """Results objects, tables and containers as JSON-able values.

    Parameters
    ----------
    obj : Any
        A results object (its ``summary()`` as records, or its own ``to_dict()``), a
        DataFrame (records), a dict or list of them, or a plain value.

    Returns
    -------
    Any
        The JSON-able value.
    """
    if isinstance(obj, RatingGrades):
        return obj.to_dict()
    if isinstance(obj, ResultBase):
        return records(obj.summary())
    if isinstance(obj, pd.DataFrame):
        return records(obj)
    if isinstance(obj, pd.Series):
        return records(obj.to_frame())
    if isinstance(obj, Mapping):
        return {_snake(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    return _py(obj)


# ---------------------------------------------------------------------------- the result
@dataclass(repr=False)
class ValidationResult:
    """What :func:`validation_pack` returns (see the module docstring).

    Parameters
    ----------
    tests : DataFrame
        One row per test: ``section``, ``test``, ``null_hypothesis``, ``estimate``,
        ``statistic``, ``pvalue``, ``status`` (``"green"``, ``"amber"``, ``"red"``),
        ``detail``.
    sections : dict of str -> dict
        Section name -> ``{name: results object or table}``.
    absent : dict of str -> str
        Sections left out, and why.
    curves : dict of str -> DataFrame
        Plot data: ``roc``, ``cap``, ``calibration``, ``score_distribution`` and, with ids,
        ``migration``.
    thresholds : dict
        The status thresholds used.
    meta : dict
        Sizes, event rates, where the score and the grades came from.
    grades : RatingGrades
        The rating grades used.
    model : object, optional
        The model scored (the fitted default scorecard when none was given).
    """

    tests: pd.DataFrame
    sections: dict[str, dict[str, Any]]
    absent: dict[str, str]
    curves: dict[str, pd.DataFrame]
    thresholds: dict[str, tuple[float, float]]
    meta: dict[str, Any]
    grades: RatingGrades
    model: Any = field(default=None, repr=False)

    @property
    def status_counts(self) -> dict[str, int]:
        """Rows of :attr:`tests` by status."""
        vc = self.tests["status"].value_counts()
        return {s: int(vc.get(s, 0)) for s in ("green", "amber", "red")}

    def summary(self) -> pd.DataFrame:
        """The tests table (:attr:`tests`).

        Returns
        -------
        pandas.DataFrame
            One row per test.
        """
        return self.tests

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-able values (snake_case keys, tables as records).

        Returns
        -------
        dict
            ``meta``, ``thresholds`` (``{key: {"amber": a, "red": r}}``), ``tests``
            (records), ``sections`` (``{section: {name: records}}``), ``absent``,
            ``grades`` and ``curves`` (``{name: records}``).
        """
        return {
            "meta": jsonable(self.meta),
            "thresholds": {
                k: {"amber": _py(a), "red": _py(r)} for k, (a, r) in self.thresholds.items()
            },
            "tests": records(self.tests.reset_index(drop=True)),
            "sections": {s: jsonable(v) for s, v in self.sections.items()},
            "absent": dict(self.absent),
            "grades": self.grades.to_dict(),
            "curves": {k: records(v) for k, v in self.curves.items()},
        }

    def _repr_html_(self) -> str:
        c = self.status_counts
        head = (
            f"<strong>ValidationResult</strong>: {len(self.tests)} tests, {c['green']} green, "
            f"{c['amber']} amber, {c['red']} red"
        )
        table = self.tests.drop(columns=["null_hypothesis"]).to_html(
            float_format=lambda v: f"{v:.4g}", border=0, index=False
        )
        return f"<div>{head}{table}</div>"

    def __repr__(self) -> str:
        c = self.status_counts
        absent = "; ".join(f"{k}: {v}" for k, v in self.absent.items())
        return (
            f"ValidationResult({len(self.tests)} tests: {c['green']} green, {c['amber']} amber, "
            f"{c['red']} red; sections {list(self.sections)}"
            + (f"; absent: {absent}" if absent else "")
            + ")"
        )


# ---------------------------------------------------------------------------- parts
def _missing_rate_table(
    dev: pd.DataFrame,
    current: pd.DataFrame,
    features: Sequence[str],
    special_values: Mapping[str, Sequence[Any]] | None,
) -> pd.DataFrame:
    """Missing and special-value rates per feature, dev vs current, with a two-proportion test."""
    rows = []
    for f in features:
        for kind in ("missing", "special"):
            if kind == "special":
                sv = list((special_values or {}).get(f, ()))
                if not sv:
                    continue
                a, b = dev[f].isin(sv).to_numpy(), current[f].isin(sv).to_numpy()
            else:
                a, b = dev[f].isna().to_numpy(), current[f].isna().to_numpy()
            n1, n2 = len(a), len(b)
            x1, x2 = float(a.sum()), float(b.sum())
            p1, p2 = x1 / n1, x2 / n2
            pool = (x1 + x2) / (n1 + n2)
            se0 = math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
            z = (p2 - p1) / se0 if se0 > 0 else 0.0
            se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
            rows.append(
                {
                    "feature": f,
                    "kind": kind,
                    "estimate": p2 - p1,
                    "se": se,
                    "ci_low": p2 - p1 - 1.959963984540054 * se,
                    "ci_high": p2 - p1 + 1.959963984540054 * se,
                    "statistic": z,
                    "pvalue": float(2 * stats.norm.sf(abs(z))),
                    "rate_dev": p1,
                    "rate_current": p2,
                }
            )
    cols = [
        "feature",
        "kind",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "statistic",
        "pvalue",
        "rate_dev",
        "rate_current",
    ]
    return pd.DataFrame(rows, columns=cols)


def representativeness(
    dev: pd.DataFrame,
    current: pd.DataFrame,
    *,
    features: Sequence[str] | None = None,
    bins: Mapping[str, Any] | int = 10,
    special_values: Mapping[str, Sequence[Any]] | None = None,
    alpha: float = 0.05,
) -> dict[str, pd.DataFrame]:
    """PSI of each feature (with SE, CI, test, traffic light) and missing / special-value rates.

    Parameters
    ----------
    dev, current : DataFrame
        The development and the current sample.
    features : sequence of str, optional
        The columns (default: every column of ``dev``).
    bins : dict or int, default 10
        Bins of :func:`~infodiv.credit.psi_summary` (e.g. the model's bins).
    special_values : dict of str -> sequence, optional
        Special codes per feature, whose rates are compared.
    alpha : float, default 0.05
        Level of the intervals and tests.

    Returns
    -------
    dict
        ``psi``: :func:`~infodiv.credit.psi_summary` of the features; ``rates``: one row per
        feature and kind (``missing``, ``special``): ``estimate`` (current rate minus
        development rate), ``se``, ``ci_low``, ``ci_high``, ``statistic`` (pooled two-sample
        z), two-sided ``pvalue``, ``rate_dev``, ``rate_current``.
    """
    a = check_alpha(alpha)
    for name, fr in (("dev", dev), ("current", current)):
        if not isinstance(fr, pd.DataFrame):
            raise InvalidParameterError(f"{name} must be a DataFrame; got {type(fr).__name__}")
    feats = list(dev.columns) if features is None else list(features)
    missing = [f for f in feats if f not in dev.columns or f not in current.columns]
    if missing:
        raise InvalidParameterError(f"features: columns {missing} not in both dev and current")
    # a column with no more distinct values than bins: each value is a bin (a constant column
    # has no quantile edges)
    k = 10 if isinstance(bins, Mapping) else int(bins)
    given = dict(bins) if isinstance(bins, Mapping) else {}
    bins = {
        f: given[f] if f in given else "values" if dev[f].nunique(dropna=True) <= k else k
        for f in feats
    }
    if feats:
        table = psi_summary(dev[feats], current[feats], bins=bins, alpha=a)
    else:
        table = pd.DataFrame(columns=["estimate", "se", "ci_low", "ci_high", "statistic", "df"])
        table.index.name = "feature"
    return {"psi": table, "rates": _missing_rate_table(dev, current, feats, special_values)}


def _vif(Z: np.ndarray, names: Sequence[str]) -> pd.Series:
    """Variance inflation factors: the diagonal of the inverse correlation matrix."""
    if Z.shape[1] < 2:
        return pd.Series(1.0, index=list(names), name="vif")
    R = np.corrcoef(Z, rowvar=False)
    with np.errstate(all="ignore"):
        try:
            v = np.diag(np.linalg.inv(R))
        except np.linalg.LinAlgError:
            v = np.full(len(names), np.inf)
    return pd.Series(v, index=list(names), name="vif")


def model_checks(
    model: Any,
    dev: pd.DataFrame,
    current: pd.DataFrame,
    y_dev: Any,
    y_current: Any,
    *,
    alpha: float = 0.05,
    event: Any = None,
) -> dict[str, pd.DataFrame]:
    """Conceptual-soundness checks of a fitted WoE :class:`~infodiv.credit.Scorecard`.

    Parameters
    ----------
    model : Scorecard
        A fitted scorecard.
    dev, current : DataFrame
        The two samples (with the model's input columns).
    y_dev, y_current : array-like
        Their default flags.
    alpha : float, default 0.05
        Level of the intervals and tests.
    event : label, optional
        The default value of the targets when not 0/1 or boolean.

    Returns
    -------
    dict
        ``coefficients``: the coefficients with SE, CI, z, p-value (``model.summary()``),
        ``expected_sign`` (+1: a higher WoE means more defaults when WoE is
        ``ln(bad share / good share)``) and ``sign_ok``; ``vif``: the VIF of each WoE feature
        on the development rows; ``iv``: the IV of each model feature on both samples with
        the model's bins (``iv_dev``, ``iv_current`` with SEs), ``estimate`` the change
        (current minus development), its SE (independent samples), ``statistic`` z and the
        one-sided ``pvalue`` of "the IV has not fallen".
    """
    from infodiv.credit._scorecard import Scorecard

    a = check_alpha(alpha)
    if not isinstance(model, Scorecard) or not hasattr(model, "result_"):
        raise InvalidParameterError(
            f"model must be a fitted infodiv Scorecard for the model checks; got "
            f"{type(model).__name__}"
        )
    feats = list(model.features_)
    coef = model.summary().copy()
    sign = 1.0 if model.encoder_.woe_sign == "bad/good" else -1.0
    coef["expected_sign"] = [np.nan if i == "const" else sign for i in coef.index]
    coef["sign_ok"] = [
        True if i == "const" else bool(np.sign(coef.loc[i, "estimate"]) == sign) for i in coef.index
    ]
    coef.index.name = "term"
    inputs = list(model.feature_names_in_)
    Z = model._woe(dev[inputs])
    vif = _vif(Z, feats).to_frame()
    vif.index.name = "feature"
    bins = {f: model.encoder_.bins_[f] for f in feats}
    i0 = iv_summary(dev[feats], y_dev, bins=bins, alpha=a, event=event)
    i1 = iv_summary(current[feats], y_current, bins=bins, alpha=a, event=event)
    i1 = i1.reindex(i0.index)
    d = i1["estimate"] - i0["estimate"]
    se = np.sqrt(i0["se"] ** 2 + i1["se"] ** 2)
    z = 1.959963984540054
    iv = pd.DataFrame(
        {
            "estimate": d,
            "se": se,
            "ci_low": d - z * se,
            "ci_high": d + z * se,
            "statistic": d / se,
            "pvalue": stats.norm.cdf(d / se),
            "iv_dev": i0["estimate"],
            "se_dev": i0["se"],
            "iv_current": i1["estimate"],
            "se_current": i1["se"],
        }
    )
    iv.index.name = "feature"
    return {"coefficients": coef, "vif": vif, "iv": iv}


# ---------------------------------------------------------------------------- the pack
def _frame_arg(x: Any, name: str) -> pd.DataFrame:
    if not isinstance(x, pd.DataFrame):
        raise InvalidParameterError(f"{name} must be a pandas DataFrame; got {type(x).__name__}")
    if len(x) == 0:
        raise InvalidParameterError(f"{name} has no rows")
    return x


def _column(frames: Mapping[str, pd.DataFrame], col: Any, arg: str) -> None:
    if not isinstance(col, str):
        raise InvalidParameterError(f"{arg} must be a column name (str); got {col!r}")
    for name, fr in frames.items():
        if col not in fr.columns:
            raise InvalidParameterError(f"{arg}: column {col!r} not found in {name}")


def _as_model_frame(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    out = frame[list(columns)].copy()
    for c in out.columns:
        if not pd.api.types.is_numeric_dtype(out[c]) and not isinstance(
            out[c].dtype, pd.CategoricalDtype
        ):
            out[c] = out[c].astype("category")
    return out


def _model_inputs(model: Any, frame: pd.DataFrame, features: Sequence[str] | None) -> list[str]:
    names = getattr(model, "feature_names_in_", None)
    cols = list(names) if names is not None else list(features or [])
    if not cols:
        raise InvalidParameterError(
            "model: cannot tell its input columns (no feature_names_in_); give features="
        )
    return cols


def _pd_of(model: Any, frame: pd.DataFrame, cols: Sequence[str], name: str) -> np.ndarray:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise InvalidParameterError(f"model: {name} lacks the model's input columns {missing}")
    p = np.asarray(model.predict_proba(_as_model_frame(frame, cols)))[:, 1]
    return p.astype(float)


def _score_distribution(
    scores: Mapping[str, tuple[np.ndarray, np.ndarray]], n_bins: int = 20
) -> pd.DataFrame:
    allv = np.concatenate([s for s, _ in scores.values()])
    edges = np.unique(np.quantile(allv, np.linspace(0, 1, n_bins + 1)))
    if edges.size < 2:
        edges = np.array([allv.min(), allv.min() + 1.0])
    rows = []
    for sample, (s, y) in scores.items():
        k = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, edges.size - 2)
        for cls, lab in ((1, "default"), (0, "non_default")):
            cnt = np.bincount(k[y == cls], minlength=edges.size - 1)
            tot = max(int((y == cls).sum()), 1)
            for j in range(edges.size - 1):
                rows.append(
                    {
                        "sample": sample,
                        "class": lab,
                        "bin_low": float(edges[j]),
                        "bin_high": float(edges[j + 1]),
                        "count": int(cnt[j]),
                        "share": float(cnt[j] / tot),
                    }
                )
    return pd.DataFrame(rows)


def _row(
    section: str,
    test: str,
    h0: str,
    estimate: float,
    statistic: float,
    pvalue: float,
    status: str,
    detail: str,
) -> dict[str, Any]:
    return {
        "section": section,
        "test": test,
        "null_hypothesis": h0,
        "estimate": float(estimate) if estimate is not None else np.nan,
        "statistic": float(statistic) if statistic is not None else np.nan,
        "pvalue": float(pvalue) if pvalue is not None else np.nan,
        "status": status,
        "detail": detail,
    }


def _fmt_p(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def validation_pack(
    dev: pd.DataFrame,
    current: pd.DataFrame,
    *,
    target: str,
    score: str | None = None,
    pd: str | None = None,
    model: Any = None,
    id: str | None = None,
    grades: RatingGrades | Sequence[float] | None = None,
    features: Sequence[str] | None = None,
    thresholds: Mapping[str, Any] | None = None,
    snapshot: pd.DataFrame | None = None,
    score_higher: str = "auto",
    special_values: Mapping[str, Sequence[Any]] | None = None,
    event: Any = None,
    alpha: float = 0.05,
    random_state: int = 0,
) -> ValidationResult:
    """Run the validation tests on a development and a current sample.

    Parameters
    ----------
    dev : DataFrame
        The development (initial validation) sample: the target, and the score or the
        model's inputs.
    current : DataFrame
        The current sample, with the same columns.
    target : str
        The default flag column (1/``True`` = default, or two labels with ``event``).
    score : str, optional
        A score column present in both samples. Its direction is ``score_higher``. Without
        ``score`` and ``model``, the default :class:`~infodiv.credit.Scorecard`
        (``min_iv=0.02``, as ``infodiv report``) is fitted on ``dev`` and its PD is the score.
    pd : str, optional
        A column of obligor PDs (both samples) for the calibration tests. Default: the
        model's PD, else the PD of each row's grade (the grade's development default rate).
    model : object, optional
        A fitted model with ``predict_proba`` (an infodiv Scorecard gets the model checks);
        its PD is the score.
    id : str, optional
        An obligor id column: the migration matrix matches ``snapshot`` (default ``dev``)
        and ``current`` by it. Without it the stability section is absent.
    grades : RatingGrades or sequence of float, optional
        The rating grades: a :class:`RatingGrades`, or cut points on the score scale (the
        ``score`` column, or the model's PD). Default: :func:`rating_grades` learned on
        ``dev``.
    features : sequence of str, optional
        The features for representativeness (and the default model's inputs). Default: the
        model's inputs, else every column but the target, id, score and PD columns.
    thresholds : dict, optional
        Status thresholds ``{key: (amber, red)}`` overriding :data:`DEFAULT_THRESHOLDS`.
    snapshot : DataFrame, optional
        An earlier snapshot of the current obligors (with ``id`` and the score inputs) for
        the migration matrix; default ``dev``.
    score_higher : {"auto", "risk", "safe"}, default "auto"
        Direction of ``score``: ``"risk"`` (higher = more defaults), ``"safe"`` (points), or
        ``"auto"``: the direction in which its development AUC is at least 1/2 (stated in
        ``meta``).
    special_values : dict of str -> sequence, optional
        Special codes per feature, whose rates are compared.
    event : label, optional
        The default value of ``target`` when not 0/1 or boolean.
    alpha : float, default 0.05
        Level of the intervals.
    random_state : int, default 0
        Seed of the default scorecard, the grade binner and the bootstraps.

    Returns
    -------
    ValidationResult
        ``tests``, ``sections``, ``absent``, ``curves``, ``to_dict()``. The warnings raised
        on the way (zero cells smoothed, unseen categories, a model fit's notes) are kept in
        ``meta["warnings"]``, not printed.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _pack(
            dev,
            current,
            target=target,
            score=score,
            pd=pd,
            model=model,
            id=id,
            grades=grades,
            features=features,
            thresholds=thresholds,
            snapshot=snapshot,
            score_higher=score_higher,
            special_values=special_values,
            event=event,
            alpha=alpha,
            random_state=random_state,
        )
    notes = dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught)
    result.meta["warnings"] = list(notes)
    return result


def _pack(
    dev: pd.DataFrame,
    current: pd.DataFrame,
    *,
    target: str,
    score: str | None = None,
    pd: str | None = None,
    model: Any = None,
    id: str | None = None,
    grades: RatingGrades | Sequence[float] | None = None,
    features: Sequence[str] | None = None,
    thresholds: Mapping[str, Any] | None = None,
    snapshot: pd.DataFrame | None = None,
    score_higher: str = "auto",
    special_values: Mapping[str, Sequence[Any]] | None = None,
    event: Any = None,
    alpha: float = 0.05,
    random_state: int = 0,
) -> ValidationResult:
    """The body of :func:`validation_pack` (its warnings recorded by the caller)."""
    validate_params(
        {"score_higher": score_higher, "random_state": random_state},
        {
            "score_higher": [StrOptions({"auto", "risk", "safe"})],
            "random_state": [Interval(Integral, 0, None, closed="left")],
        },
        caller="validation_pack",
    )
    a = check_alpha(alpha)
    th = check_thresholds(thresholds)
    dev = _frame_arg(dev, "dev")
    current = _frame_arg(current, "current")
    frames = {"dev": dev, "current": current}
    _column(frames, target, "target")
    y_dev = check_binary_target(dev[target], f"target {target!r} (dev)", event)
    y_cur = check_binary_target(current[target], f"target {target!r} (current)", event)
    for name, y in (("dev", y_dev), ("current", y_cur)):
        if y.sum() < 2 or (1 - y).sum() < 2:
            raise InvalidParameterError(
                f"target: {name} needs at least two defaults and two non-defaults"
            )
    if score is not None and model is not None:
        raise InvalidParameterError("give score or model, not both")
    for arg, col in (("score", score), ("pd", pd), ("id", id)):
        if col is not None:
            _column(frames, col, arg)
    if snapshot is not None:
        snapshot = _frame_arg(snapshot, "snapshot")
        if id is None:
            raise InvalidParameterError(
                "snapshot: the migration matrix needs id= to match obligors"
            )
        _column({"snapshot": snapshot}, id, "id")
    reserved = {target, *(c for c in (score, pd, id) if c is not None)}
    if features is not None:
        features = [str(f) if not isinstance(f, str) else f for f in features]
        bad = [f for f in features if f not in dev.columns or f not in current.columns]
        if bad:
            raise InvalidParameterError(f"features: columns {bad} not in both dev and current")
        if reserved & set(features):
            raise InvalidParameterError(
                f"features: {sorted(reserved & set(features))} are the target, score, pd or id "
                "columns"
            )

    meta: dict[str, Any] = {
        "n_dev": len(dev),
        "n_current": len(current),
        "default_rate_dev": float(y_dev.mean()),
        "default_rate_current": float(y_cur.mean()),
        "target": target,
        "alpha": a,
        "random_state": int(random_state),
    }
    absent: dict[str, str] = {}

    # ------------------------------------------------------------ the score and the PD
    fitted_here = False
    if score is None and model is None:
        from infodiv.credit._scorecard import Scorecard

        feats = features or [c for c in dev.columns if c not in reserved]
        if not feats:
            raise InvalidParameterError("dev has no feature column to fit the default scorecard on")
        card = Scorecard(min_iv=0.02, alpha=a, random_state=random_state)
        card.fit(_as_model_frame(dev, feats), y_dev)
        model, fitted_here = card, True
    if model is not None:
        if not hasattr(model, "predict_proba"):
            raise InvalidParameterError(
                f"model must have predict_proba (a fitted classifier); got {type(model).__name__}"
            )
        inputs = _model_inputs(model, dev, features)
        s_dev, s_cur = _pd_of(model, dev, inputs, "dev"), _pd_of(model, current, inputs, "current")
        higher = "risk"
        meta["score"] = (
            "PD of the default scorecard fitted on dev" if fitted_here else "PD of the given model"
        )
        feats = list(features) if features is not None else inputs
    else:
        assert score is not None
        s_dev = _numeric(dev[score], "score", "dev")
        s_cur = _numeric(current[score], "score", "current")
        if score_higher == "auto":
            r = auc(y_dev, s_dev).estimate
            higher = "risk" if r >= 0.5 else "safe"
            meta["score"] = (
                f"column {score!r}; higher = {'riskier' if higher == 'risk' else 'safer'} "
                f"(chosen: its development AUC is {max(r, 1 - r):.3f} in that direction)"
            )
        else:
            higher = score_higher
            meta["score"] = (
                f"column {score!r}; higher = {'riskier' if higher == 'risk' else 'safer'}"
            )
        feats = (
            list(features)
            if features is not None
            else [c for c in dev.columns if c not in reserved and c in current.columns]
        )
    risk_dev = s_dev if higher == "risk" else -s_dev
    risk_cur = s_cur if higher == "risk" else -s_cur

    # ------------------------------------------------------------ grades
    if grades is None:
        rg = rating_grades(s_dev, y_dev, higher=higher, alpha=a, random_state=random_state)
    elif isinstance(grades, RatingGrades):
        rg = grades
    else:
        rg = rating_grades(s_dev, y_dev, cuts=grades, higher=higher, alpha=a)
    if rg.n_grades < 2:
        raise InvalidParameterError(
            "grades: the score gives a single grade on dev (no cut point); give cut points "
            "(grades=[...]) for at least two grades"
        )
    g_dev, g_cur = rg.assign(s_dev), rg.assign(s_cur)
    levels = list(rg.labels)
    meta["grades"] = (
        f"{rg.n_grades} grades ({'given cut points' if rg.method == 'given' else 'StumpBinner on the dev score'}), "
        f"grade 1 = best; grade PDs: {rg.pd_source}"
    )
    if pd is not None:
        p_dev = _numeric(dev[pd], "pd", "dev")
        p_cur = _numeric(current[pd], "pd", "current")
        meta["pd"] = f"column {pd!r}"
    elif model is not None:
        p_dev, p_cur = s_dev, s_cur
        meta["pd"] = "the model's PD of each row"
    else:
        if not np.isfinite(rg.pd_).all():
            raise InvalidParameterError(
                "grades: some grade has no PD (no rows in dev, no pd given); give pd= or "
                "RatingGrades with PDs"
            )
        p_dev, p_cur = rg.pd_of(s_dev), rg.pd_of(s_cur)
        meta["pd"] = "the PD of each row's grade (development default rate)"
    for name, p in (("dev", p_dev), ("current", p_cur)):
        if not ((p >= 0) & (p <= 1)).all():
            raise InvalidParameterError(f"pd: the PDs of {name} must lie in [0, 1]")

    rows: list[dict[str, Any]] = []
    sections: dict[str, dict[str, Any]] = {}
    curves: dict[str, Any] = {}
    pv_key = "pvalue"

    # ------------------------------------------------------------ calibration
    gcat = pd_mod.Categorical(g_cur, categories=levels)
    gs = pd_mod.Series(gcat)
    jef = jeffreys_test(y_cur, p_cur, gs, alpha=a)
    bino = binomial_test(y_cur, p_cur, gs, alpha=a)
    hl = hosmer_lemeshow(y_cur, p_cur, gs, fitted=False, alpha=a)
    sp = spiegelhalter_test(y_cur, p_cur, alpha=a)
    sections["calibration"] = {
        "grades": rg,
        "jeffreys": jef,
        "binomial": bino,
        "hosmer_lemeshow": hl,
        "spiegelhalter": sp,
    }
    for res, label in ((jef, "Jeffreys test"), (bino, "Binomial test")):
        pp = float(res.pvalue[PORTFOLIO])
        rows.append(
            _row(
                "calibration",
                f"{label} (portfolio)",
                res.null_hypothesis,
                float(res.estimate[PORTFOLIO]),
                float(res.defaults[PORTFOLIO]),
                pp,
                status_of(pp, pv_key, th),
                f"default rate {res.estimate[PORTFOLIO]:.4f} vs PD {res.pd[PORTFOLIO]:.4f} "
                f"({int(res.defaults[PORTFOLIO])} defaults of {int(res.n[PORTFOLIO])})",
            )
        )
        holm = res.pvalue_holm.drop(PORTFOLIO)
        worst = holm.idxmin()
        ph = float(holm.min())
        rows.append(
            _row(
                "calibration",
                f"{label} (grades, Holm)",
                res.null_hypothesis,
                float(res.estimate[worst]),
                float(res.defaults[worst]),
                ph,
                status_of(ph, pv_key, th),
                f"smallest Holm-adjusted p over {len(holm)} grades: grade {worst} (default rate "
                f"{res.estimate[worst]:.4f} vs PD {res.pd[worst]:.4f}); unadjusted p "
                f"{_fmt_p(float(res.pvalue[worst]))}",
            )
        )
    rows.append(
        _row(
            "calibration",
            "Hosmer-Lemeshow",
            hl.null_hypothesis,
            hl.estimate,
            hl.statistic,
            hl.pvalue,
            status_of(hl.pvalue, pv_key, th),
            f"chi-square with {hl.df:g} degrees of freedom (one per grade: PDs fixed on dev)",
        )
    )
    rows.append(
        _row(
            "calibration",
            "Spiegelhalter",
            sp.null_hypothesis,
            sp.estimate,
            sp.statistic,
            sp.pvalue,
            status_of(sp.pvalue, pv_key, th),
            f"Brier score {sp.estimate:.4f} vs {sp.extra['expected_brier']:.4f} expected; "
            "two-sided",
        )
    )
    ci = jef.conf_int()
    cal = jef.summary().drop(PORTFOLIO)
    curves["calibration"] = pd_mod.DataFrame(
        {
            "grade": [int(g) for g in cal.index],
            "pd": cal["pd"].to_numpy(),
            "observed": cal["estimate"].to_numpy(),
            "ci_low": ci.low.drop(PORTFOLIO).to_numpy(),
            "ci_high": ci.high.drop(PORTFOLIO).to_numpy(),
            "n": cal["n"].to_numpy(),
            "defaults": cal["defaults"].to_numpy(),
        }
    )

    # ------------------------------------------------------------ discrimination
    auc_dev = auc(y_dev, risk_dev, alpha=a, name="auc_dev", random_state=random_state)
    auc_cur = auc(y_cur, risk_cur, alpha=a, name="auc_current", random_state=random_state)
    change = auc_change_test(auc_dev, auc_cur, method="ecb", alpha=a)
    change_u = auc_change_test(auc_dev, auc_cur, method="unpaired", alpha=a)
    ks = ks_test(y_cur, risk_cur, alpha=a, random_state=random_state)
    sections["discrimination"] = {
        "auc_dev": auc_dev,
        "auc_current": auc_cur,
        "auc_change": change,
        "auc_change_unpaired": change_u,
        "ks": ks,
    }
    lo, hi = auc_cur.conf_int()
    rows.append(
        _row(
            "discrimination",
            "AUC (current)",
            "",
            auc_cur.estimate,
            np.nan,
            np.nan,
            status_of(auc_cur.estimate, "auc", th),
            f"AUC {auc_cur.estimate:.4f} [{lo:.4f}, {hi:.4f}], Gini {2 * auc_cur.estimate - 1:.4f} "
            f"[{2 * lo - 1:.4f}, {2 * hi - 1:.4f}]; "
            f"development AUC {auc_dev.estimate:.4f}",
        )
    )
    rows.append(
        _row(
            "discrimination",
            "AUC change (current vs initial)",
            change.null_hypothesis,
            change.estimate,
            change.statistic,
            change.pvalue,
            status_of(change.pvalue, pv_key, th),
            f"S = (AUC_init - AUC_curr) / s_curr (ECB); with both SEs (unpaired samples) p = "
            f"{_fmt_p(change_u.pvalue)}",
        )
    )
    klo, khi = ks.conf_int()
    rows.append(
        _row(
            "discrimination",
            "KS (current)",
            ks.null_hypothesis,
            ks.estimate,
            ks.statistic,
            ks.pvalue,
            "green" if ks.pvalue < th["pvalue"][0] else "red",
            f"KS {ks.estimate:.4f} [{klo:.4f}, {khi:.4f}] (bootstrap); rejection is the good "
            "outcome here",
        )
    )
    curves["roc"] = pd_mod.concat(
        [
            roc_curve(y_dev, risk_dev, max_points=201).assign(sample="dev"),
            roc_curve(y_cur, risk_cur, max_points=201).assign(sample="current"),
        ],
        ignore_index=True,
    )
    curves["cap"] = pd_mod.concat(
        [
            cap_curve(y_dev, risk_dev, max_points=201).assign(sample="dev"),
            cap_curve(y_cur, risk_cur, max_points=201).assign(sample="current"),
        ],
        ignore_index=True,
    )
    for c in ("roc", "cap"):  # thresholds on the risk scale: back to the score's own scale
        if higher == "safe":
            curves[c]["threshold"] = -curves[c]["threshold"]
    curves["score_distribution"] = _score_distribution(
        {"dev": (s_dev, y_dev), "current": (s_cur, y_cur)}
    )

    # ------------------------------------------------------------ concentration
    c_dev = concentration(g_dev, levels=levels, alpha=a)
    c_cur = concentration(g_cur, levels=levels, alpha=a)
    ct = concentration_test(c_dev, c_cur, alpha=a)
    sections["concentration"] = {"dev": c_dev, "current": c_cur, "increase_test": ct}
    rows.append(
        _row(
            "concentration",
            "Herfindahl index (current)",
            "",
            c_cur.herfindahl,
            np.nan,
            np.nan,
            status_of(c_cur.herfindahl, "herfindahl", th),
            f"normalised HI {c_cur.herfindahl:.4f} (dev {c_dev.herfindahl:.4f}); classic "
            f"sum of squared shares {c_cur.herfindahl_classic:.4f}; CV {c_cur.cv:.4f}",
        )
    )
    rows.append(
        _row(
            "concentration",
            "Increased concentration",
            ct.null_hypothesis,
            ct.estimate,
            ct.statistic,
            ct.pvalue,
            status_of(ct.pvalue, pv_key, th),
            f"ignores the number of obligors; smallest attainable p-value with these "
            f"{rg.n_grades} grades: {_fmt_p(ct.extra['min_pvalue'])}",
        )
    )

    # ------------------------------------------------------------ stability
    if id is None:
        absent["stability"] = (
            "no id column given: the migration matrix needs the same obligors at two dates, "
            "matched by id"
        )
    else:
        before = snapshot if snapshot is not None else dev
        before_name = "snapshot" if snapshot is not None else "dev"
        if snapshot is not None:
            if model is not None:
                s_b = _pd_of(model, snapshot, _model_inputs(model, dev, features), "snapshot")
            else:
                assert score is not None
                _column({"snapshot": snapshot}, score, "score")
                s_b = _numeric(snapshot[score], "score", "snapshot")
        else:
            s_b = s_dev
        gb = pd_mod.Series(rg.assign(s_b), index=pd_mod.Index(before[id].to_numpy(), name="id"))
        ga = pd_mod.Series(g_cur, index=pd_mod.Index(current[id].to_numpy(), name="id"))
        common = gb.index.intersection(ga.index)
        if len(common) == 0:
            absent["stability"] = (
                f"no id of {before_name} is in current: the two samples hold different "
                "obligors, so there is no migration to measure (give snapshot=, an earlier "
                "snapshot of the current obligors)"
            )
        else:
            mig = migration_matrix(gb, ga, levels=levels, alpha=a)
            sections["stability"] = {"migration": mig, "matrix": mig.counts}
            e = mig.estimate
            for key, label in (("mwb_upper", "upper"), ("mwb_lower", "lower")):
                rows.append(
                    _row(
                        "stability",
                        f"Matrix weighted bandwidth ({label})",
                        "",
                        float(e[key]),
                        np.nan,
                        np.nan,
                        status_of(float(e[key]), "mwb", th),
                        f"{mig.n_matched:,} obligors matched by {id!r} ({before_name} to "
                        f"current); stayed {e['stayed']:.1%}, moved one grade "
                        f"{e['moved_one']:.1%}, moved more {e['moved_more']:.1%}; unmatched: "
                        f"{len(mig.unmatched_before):,} only in {before_name}, "
                        f"{len(mig.unmatched_after):,} only in current",
                    )
                )
            m = mig.counts.copy()
            curves["migration"] = m.stack().rename("count").reset_index().astype({"count": int})

    # ------------------------------------------------------------ representativeness
    model_bins: dict[str, Any] | None = None
    from infodiv.credit._scorecard import Scorecard

    is_card = isinstance(model, Scorecard)
    if is_card:
        model_bins = {f: model.encoder_.bins_[f] for f in feats if f in model.encoder_.bins_}
    rep_feats = [f for f in feats if f in current.columns]
    fdev, fcur = _as_model_frame(dev, rep_feats), _as_model_frame(current, rep_feats)
    bins_arg: Any = 10
    if model_bins:
        bins_arg = {f: model_bins[f] for f in rep_feats if f in model_bins}
    rep = representativeness(
        fdev, fcur, features=rep_feats, bins=bins_arg, special_values=special_values, alpha=a
    )
    psi_score = psi_summary(
        pd_mod.DataFrame({"score": s_dev}), pd_mod.DataFrame({"score": s_cur}), bins=10, alpha=a
    )
    psi_grade = psi_summary(
        pd_mod.DataFrame({"grade": pd_mod.Categorical(g_dev, categories=levels)}),
        pd_mod.DataFrame({"grade": pd_mod.Categorical(g_cur, categories=levels)}),
        bins="values",
        alpha=a,
    )
    sections["representativeness"] = {
        "psi_score": psi_score,
        "psi_grades": psi_grade,
        "psi_features": rep["psi"],
        "rates": rep["rates"],
    }
    for label, tab in (("PSI (score)", psi_score), ("PSI (grades)", psi_grade)):
        r0 = tab.iloc[0]
        rows.append(
            _row(
                "representativeness",
                label,
                "the distribution is the same in development and current data (no drift)",
                float(r0["estimate"]),
                float(r0["statistic"]),
                float(r0["pvalue"]),
                status_of(float(r0["estimate"]), "psi", th),
                f"PSI {r0['estimate']:.4f} [{r0['ci_low']:.4f}, {r0['ci_high']:.4f}]; chi-square "
                f"test of no drift p = {_fmt_p(float(r0['pvalue']))}",
            )
        )
    if len(rep["psi"]):
        r0 = rep["psi"].iloc[0]
        n_amber = int((rep["psi"]["estimate"] >= th["psi"][0]).sum())
        rows.append(
            _row(
                "representativeness",
                "PSI (features, largest)",
                "the distribution is the same in development and current data (no drift)",
                float(r0["estimate"]),
                float(r0["statistic"]),
                float(r0["pvalue"]),
                status_of(float(r0["estimate"]), "psi", th),
                f"largest: {rep['psi'].index[0]} (PSI {r0['estimate']:.4f}); {n_amber} of "
                f"{len(rep['psi'])} features at or above {th['psi'][0]:g}",
            )
        )
    rates = rep["rates"]
    if len(rates):
        adj = _holm_min(rates["pvalue"].to_numpy())
        j = int(np.argmin(rates["pvalue"].to_numpy()))
        rj = rates.iloc[j]
        rows.append(
            _row(
                "representativeness",
                "Missing and special-value rates",
                "the missing (special-value) rate of every feature is the same in development "
                "and current data",
                float(rj["estimate"]),
                float(rj["statistic"]),
                adj,
                status_of(adj, pv_key, th),
                f"largest change: {rj['feature']} ({rj['kind']}) {rj['rate_dev']:.2%} -> "
                f"{rj['rate_current']:.2%}; p Holm-adjusted over {len(rates)} rates",
            )
        )

    # ------------------------------------------------------------ model
    if is_card:
        mc = model_checks(model, dev, current, y_dev, y_cur, alpha=a)
        sections["model"] = mc
        coef = mc["coefficients"].drop(index="const", errors="ignore")
        wrong = [str(i) for i in coef.index[~coef["sign_ok"].astype(bool)]]
        rows.append(
            _row(
                "model",
                "Coefficient signs vs WoE direction",
                "",
                float(len(wrong)),
                np.nan,
                np.nan,
                "red" if wrong else "green",
                (
                    f"wrong sign: {', '.join(wrong)}"
                    if wrong
                    else "every coefficient has the sign of its WoE"
                )
                + f" ({len(coef)} features)",
            )
        )
        if len(coef):
            pmax = float(coef["pvalue"].max())
            rows.append(
                _row(
                    "model",
                    "Coefficient p-values (largest)",
                    "the coefficient is 0 (the feature adds nothing given the others)",
                    float(coef["estimate"][coef["pvalue"].idxmax()]),
                    float(coef["statistic"][coef["pvalue"].idxmax()]),
                    pmax,
                    status_of(pmax, "coef_pvalue", th),
                    f"largest p-value: {coef['pvalue'].idxmax()}",
                )
            )
        vif = mc["vif"]["vif"]
        if len(vif):
            rows.append(
                _row(
                    "model",
                    "VIF (largest)",
                    "",
                    float(vif.max()),
                    np.nan,
                    np.nan,
                    status_of(float(vif.max()), "vif", th),
                    f"largest VIF of the WoE features on dev: {vif.idxmax()}",
                )
            )
        iv = mc["iv"]
        if len(iv):
            ph = _holm_min(iv["pvalue"].to_numpy())
            f0 = iv["pvalue"].idxmin()
            rows.append(
                _row(
                    "model",
                    "IV change (current vs development)",
                    "the IV of the feature has not fallen from development to current data",
                    float(iv.loc[f0, "estimate"]),
                    float(iv.loc[f0, "statistic"]),
                    ph,
                    status_of(ph, pv_key, th),
                    f"largest fall: {f0} (IV {iv.loc[f0, 'iv_dev']:.4f} -> "
                    f"{iv.loc[f0, 'iv_current']:.4f}); p Holm-adjusted over {len(iv)} features",
                )
            )
    else:
        absent["model"] = (
            "a score column was given, not an infodiv Scorecard: coefficient signs, p-values, "
            "VIF and IV need the model"
        )

    tests = pd_mod.DataFrame(rows, columns=TEST_COLUMNS)
    order = {s: k for k, s in enumerate(SECTIONS)}
    tests = tests.sort_values("section", key=lambda c: c.map(order), kind="stable").reset_index(
        drop=True
    )
    sections = {s: sections[s] for s in SECTIONS if s in sections}
    return ValidationResult(tests, sections, absent, curves, th, meta, rg, model)


pd_mod = pd  # the module, under a name the ``pd`` argument of validation_pack does not hide


def _holm_min(p: np.ndarray) -> float:
    """The smallest Holm-adjusted p-value of a family: ``min_i (m - i + 1) p_(i)`` capped at 1."""
    p = p[np.isfinite(p)]
    if p.size == 0:
        return float("nan")
    s = np.sort(p)
    return float(min(1.0, np.min(np.maximum.accumulate((p.size - np.arange(p.size)) * s))))


def _numeric(col: pd.Series, arg: str, where: str) -> np.ndarray:
    v = pd_mod.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(v)
    if bad.any():
        raise InvalidParameterError(
            f"{arg}: column {col.name!r} of {where} has {int(bad.sum())} missing or non-numeric "
            "values; every row needs one"
        )
    return v
