"""Input checks and cross-fitted nuisances (propensity and conditional laws) for causal bounds.

Cross-fitting: the rows are split into ``n_folds`` folds stratified by treatment; for each fold
the propensity model and one conditional-law model per arm are fitted on the other folds and
evaluated on the fold. Every row thus gets out-of-fold nuisances, which the orthogonal scores
need. Models refitted on all rows serve :meth:`predict_bounds` on new covariates. Without
covariates (``X = None``) nothing is estimated by a model: the propensity is the arm's share and
the law is the arm's empirical distribution, and the bounds are the plug-in values (no
cross-fitting is needed: the plug-in is exactly the mean of the score).

Overlap: propensities are clipped to ``[clip, 1 - clip]`` (default ``clip = 0.01``) with a
warning that counts the clipped rows. Clipping caps the propensity radius ``B_f(e)`` and so
narrows the f-bounds of the clipped rows: treat their bounds with care. A propensity model that
separates the arms perfectly (every treated row scored above every control) means there is no
overlap and raises ``ValueError``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from infodiv._validation import _show, align_inputs, check_open_interval
from infodiv.causal._laws import resolve_law_model
from infodiv.exceptions import InfodivWarning, InvalidParameterError

__all__ = [
    "ArmLaw",
    "CausalData",
    "Nuisances",
    "check_causal_data",
    "default_propensity",
    "fit_nuisances",
    "predict_nuisances",
]


def default_propensity() -> Any:
    """``StandardScaler`` + ``LogisticRegression`` (pass a flexible classifier for nonlinear designs)."""
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


@dataclass
class CausalData:
    """Validated ``(X, A, Y)`` and the outcome support ``[lo, hi]``."""

    X: np.ndarray | None
    A: np.ndarray
    Y: np.ndarray
    lo: float
    hi: float
    support_rule: str
    columns: list[str] | None = None
    index: pd.Index | None = None

    @property
    def n(self) -> int:
        return int(self.A.size)


def _as_1d(v: Any, name: str) -> np.ndarray:
    if isinstance(v, pd.DataFrame):
        if v.shape[1] != 1:
            raise InvalidParameterError(f"{name} must be one column; got {v.shape[1]} columns")
        v = v.iloc[:, 0]
    arr = np.asarray(v)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise InvalidParameterError(f"{name} must be one-dimensional; got shape {arr.shape}")
    return arr


def _check_treatment(A: Any) -> np.ndarray:
    """A binary treatment coded 0/1 (or bool) with both arms present."""
    arr = _as_1d(A, "A")
    if arr.size == 0:
        raise InvalidParameterError("A is empty")
    if arr.dtype == bool:
        return arr.astype(int)
    try:
        num = pd.to_numeric(pd.Series(arr), errors="raise").to_numpy(dtype=float)
    except (TypeError, ValueError):
        shown = sorted({str(v) for v in arr.tolist()})[:5]
        raise InvalidParameterError(
            f"A must be a binary treatment coded 0/1; got values {shown}"
        ) from None
    if np.isnan(num).any():
        j = int(np.flatnonzero(np.isnan(num))[0])
        raise InvalidParameterError(
            f"A contains NaN (row {j}); the treatment must be observed for every row"
        )
    if not np.isin(num, (0.0, 1.0)).all():
        shown = np.unique(num)[:6].tolist()
        raise InvalidParameterError(f"A must be a binary treatment coded 0/1; got values {shown}")
    out = num.astype(int)
    if np.unique(out).size < 2:
        raise InvalidParameterError(
            f"A has a single arm (all {int(out[0])}): both treated and controls are needed"
        )
    return out


def _check_outcome(Y: Any) -> np.ndarray:
    arr = _as_1d(Y, "Y")
    try:
        y = np.asarray(arr, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"Y must be numeric; got values such as {_show(arr[:3].tolist())}"
        ) from None
    bad = ~np.isfinite(y)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise InvalidParameterError(
            f"Y contains NaN or inf ({int(bad.sum())} rows; first row {j}: {float(y[j])!r})"
        )
    return y


def _check_covariates(
    X: Any, n: int
) -> tuple[np.ndarray | None, list[str] | None, pd.Index | None]:
    if X is None:
        return None, None, None
    index = X.index if isinstance(X, (pd.DataFrame, pd.Series)) else None
    if isinstance(X, pd.Series):
        X = X.to_frame()
    if isinstance(X, pd.DataFrame):
        cols = [str(c) for c in X.columns]
        for c in X.columns:
            s = X[c]
            if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
                raise InvalidParameterError(
                    f"X column {c!r} is not numeric (dtype {s.dtype}); encode it first "
                    "(e.g. one-hot) — the nuisance models need numeric covariates"
                )
            if s.isna().any():
                raise InvalidParameterError(
                    f"X column {c!r} contains missing values ({int(s.isna().sum())} rows)"
                )
        arr = X.to_numpy(dtype=float)
    else:
        try:
            arr = np.asarray(X, dtype=float)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                "X must be numeric (a DataFrame, an array or None)"
            ) from None
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            raise InvalidParameterError(f"X must be two-dimensional; got shape {arr.shape}")
        cols = None
    bad = ~np.isfinite(arr)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        name = cols[j] if cols else f"{j}"
        raise InvalidParameterError(
            f"X contains NaN or inf (column {name}, row {i}: {float(arr[i, j])!r})"
        )
    if arr.shape[0] != n:
        raise InvalidParameterError(f"length mismatch: X has {arr.shape[0]} rows, A and Y have {n}")
    if arr.shape[1] == 0:
        raise InvalidParameterError("X has no columns; pass X=None for the covariate-free bounds")
    return arr, cols, index


def _check_support(support: Any, Y: np.ndarray) -> tuple[float, float, str]:
    """``(lo, hi, rule)``; ``support="observed"`` uses ``(min Y, max Y)``."""
    if isinstance(support, str):
        if support != "observed":
            raise InvalidParameterError(f"support must be (lo, hi) or 'observed'; got {support!r}")
        lo, hi = float(Y.min()), float(Y.max())
        if not hi > lo:
            raise InvalidParameterError(
                f"support='observed': Y is constant ({lo!r}); declare the support"
            )
        return lo, hi, "observed"
    try:
        lo, hi = (float(v) for v in support)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"support must be a pair (lo, hi) of finite numbers or 'observed'; got {_show(support)}"
        ) from None
    if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
        raise InvalidParameterError(f"support must be finite with lo < hi; got {_show(support)}")
    out = (Y < lo) | (Y > hi)
    if out.any():
        j = int(np.flatnonzero(out)[0])
        raise InvalidParameterError(
            f"Y has {int(out.sum())} values outside the declared support [{lo:g}, {hi:g}] "
            f"(row {j}: {float(Y[j])!r}); the bounds are only valid for an outcome inside its support: "
            "widen the support or clean Y"
        )
    return lo, hi, "declared"


def check_causal_data(X: Any, A: Any, Y: Any, support: Any) -> CausalData:
    """Validate ``X, A, Y`` and the support; every error names the argument.

    Pandas inputs are matched by index label (:func:`infodiv._validation.align_inputs`:
    ``A`` and ``Y`` reordered to ``X``'s index, an error when the labels differ); arrays by
    position.
    """
    named = align_inputs({"X": X, "A": A, "Y": Y})
    A, Y = named["A"], named["Y"]
    a_arr = _as_1d(A, "A")
    y_arr = _as_1d(Y, "Y")
    if a_arr.shape[0] != y_arr.shape[0]:
        raise InvalidParameterError(
            f"length mismatch: A has {a_arr.shape[0]} rows, Y has {y_arr.shape[0]}"
        )
    A_ = _check_treatment(a_arr)
    Y_ = _check_outcome(y_arr)
    X_, cols, index = _check_covariates(X, A_.size)
    lo, hi, rule = _check_support(support, Y_)
    return CausalData(X_, A_, Y_, lo, hi, rule, cols, index)


@dataclass
class ArmLaw:
    """Estimated conditional laws for one arm: ``values, weights`` of shape (m, k); ``row[i]``
    is the row of observation ``i``."""

    values: np.ndarray
    weights: np.ndarray
    row: np.ndarray

    def mean(self) -> np.ndarray:
        return np.sum(self.values * self.weights, axis=1)


@dataclass
class Nuisances:
    """Cross-fitted nuisances for every row and the full-data models for new covariates."""

    e1: np.ndarray  # clipped P(A = 1 | X), per row
    e1_raw: np.ndarray
    laws: dict[int, ArmLaw]
    clip: float
    n_clipped: int
    folds: np.ndarray | None
    propensity_full: Any = None
    law_full: dict[int, Any] = field(default_factory=dict)
    marginal: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    shrinkage: dict[int, float] = field(default_factory=dict)

    def e(self, a: int) -> np.ndarray:
        return self.e1 if a == 1 else 1.0 - self.e1


def _coarse_marginal(y: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """The arm's marginal law coarsened to its masses at lo and hi and its interior mean."""
    at_lo, at_hi = y <= lo, y >= hi
    inner = ~(at_lo | at_hi)
    mid = float(y[inner].mean()) if inner.any() else 0.5 * (lo + hi)
    return np.array([lo, hi, mid]), np.array([at_lo.mean(), at_hi.mean(), inner.mean()])


def _shrunk(values, weights, marginal, eta):
    mv, mw = marginal
    n = values.shape[0]
    v = np.concatenate([values, np.broadcast_to(mv, (n, 3))], axis=1)
    w = np.concatenate([(1.0 - eta) * weights, np.broadcast_to(eta * mw, (n, 3))], axis=1)
    return v, w


def _empirical(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    vals, counts = np.unique(y, return_counts=True)
    return vals[None, :], (counts / counts.sum())[None, :]


def _clip_propensity(e1_raw, clip, A, where="fit"):
    bad = ~np.isfinite(e1_raw)
    if bad.any():
        raise InvalidParameterError(
            f"propensity_model returned NaN or inf propensities ({int(bad.sum())} rows)"
        )
    e1 = np.clip(e1_raw, clip, 1.0 - clip)
    n_clipped = int(np.sum(e1 != e1_raw))
    if n_clipped:
        warnings.warn(
            f"propensity clipped to the overlap range [{clip:g}, {1 - clip:g}] for {n_clipped} of "
            f"{e1.size} rows ({where}); their radius B_f(e) is capped, so treat their bounds "
            "with care",
            InfodivWarning,
            stacklevel=4,
        )
    return e1, n_clipped


def _check_clip(clip: Any) -> float:
    return check_open_interval(clip, "propensity_clip", 0.0, 0.5)


def fit_nuisances(
    data: CausalData,
    propensity_model: Any = None,
    outcome_model: Any = None,
    n_folds: int = 5,
    clip: float = 0.01,
    random_state: Any = None,
) -> Nuisances:
    """Cross-fit the propensity and the conditional laws of both arms (see module docstring)."""
    clip = _check_clip(clip)
    A, Y, n = data.A, data.Y, data.n
    if data.X is None:
        share = float(A.mean())
        e1_raw = np.full(n, share)
        e1, n_clipped = _clip_propensity(e1_raw, clip, A)
        laws = {}
        for a in (0, 1):
            v, w = _empirical(Y[A == a])
            laws[a] = ArmLaw(v, w, np.zeros(n, dtype=int))
        return Nuisances(e1, e1_raw, laws, clip, n_clipped, None)

    if isinstance(n_folds, bool) or not isinstance(n_folds, (int, np.integer)) or n_folds < 2:
        raise InvalidParameterError(f"n_folds must be an integer >= 2; got {n_folds!r}")
    counts = np.bincount(A, minlength=2)
    if counts.min() < 2 * n_folds:
        raise InvalidParameterError(
            f"n_folds={n_folds} needs at least {2 * n_folds} rows in each arm; the arms have "
            f"{counts[0]} controls and {counts[1]} treated"
        )
    prop = default_propensity() if propensity_model is None else propensity_model
    if not hasattr(prop, "predict_proba"):
        raise InvalidParameterError(
            f"propensity_model must be a classifier with predict_proba; got {prop!r}"
        )
    law_template = resolve_law_model(outcome_model, n_levels=np.unique(Y).size)
    X = data.X
    marginal = {a: _coarse_marginal(Y[A == a], data.lo, data.hi) for a in (0, 1)}

    skf = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=random_state)
    folds = np.empty(n, dtype=int)
    e1_raw = np.empty(n)
    parts: dict[int, list] = {0: [], 1: []}
    shrink: dict[int, float] = {}
    for f, (tr, te) in enumerate(skf.split(X, A)):
        folds[te] = f
        pm = clone(prop).fit(X[tr], A[tr])
        e1_raw[te] = _proba1(pm, X[te])
        for a in (0, 1):
            sel = tr[A[tr] == a]
            lm = clone(law_template).fit(X[sel], Y[sel])
            v, w = lm.predict_law(X[te])
            shrink[a] = lm.shrinkage_
            parts[a].append((te, *_shrunk(v, w, marginal[a], lm.shrinkage_)))
    _check_overlap(e1_raw, A)
    e1, n_clipped = _clip_propensity(e1_raw, clip, A)
    laws = {}
    for a in (0, 1):
        k = max(p[1].shape[1] for p in parts[a])
        values = np.zeros((n, k))
        weights = np.zeros((n, k))
        for te, v, w in parts[a]:
            values[te, : v.shape[1]] = v
            weights[te, : w.shape[1]] = w
        laws[a] = ArmLaw(values, weights, np.arange(n))
    prop_full = clone(prop).fit(X, A)
    law_full = {a: clone(law_template).fit(X[A == a], Y[A == a]) for a in (0, 1)}
    return Nuisances(
        e1, e1_raw, laws, clip, n_clipped, folds, prop_full, law_full, marginal, shrink
    )


def _proba1(model: Any, X: np.ndarray) -> np.ndarray:
    proba = model.predict_proba(X)
    classes = list(getattr(model, "classes_", [0, 1]))
    return proba[:, classes.index(1)]


def _check_overlap(e1_raw: np.ndarray, A: np.ndarray) -> None:
    if e1_raw[A == 1].min() > e1_raw[A == 0].max():
        raise InvalidParameterError(
            "no overlap: the propensity model separates the arms perfectly (every treated row "
            f"has P(A=1|X) >= {e1_raw[A == 1].min():.3g} > {e1_raw[A == 0].max():.3g}, the "
            "largest among controls); bounds need treated and controls with comparable covariates"
        )
    extreme = (e1_raw <= 0.0) | (e1_raw >= 1.0)
    if extreme.any():
        raise InvalidParameterError(
            f"no overlap: the propensity model returned P(A=1|X) of exactly 0 or 1 for "
            f"{int(extreme.sum())} rows"
        )


def predict_nuisances(
    nuis: Nuisances, data: CausalData, X_new: Any
) -> tuple[np.ndarray, dict[int, ArmLaw]]:
    """Clipped propensity and laws of both arms for new covariates (full-data models)."""
    if data.X is None:
        if X_new is not None:
            raise InvalidParameterError("X must be None: the bounds were fitted without covariates")
        return nuis.e1[:1], {
            a: ArmLaw(nuis.laws[a].values, nuis.laws[a].weights, np.zeros(1, int)) for a in (0, 1)
        }
    if X_new is None:
        raise InvalidParameterError("X is None but the bounds were fitted with covariates")
    Xn, _, _ = _check_covariates(X_new, _nrows(X_new))
    assert Xn is not None  # _check_covariates returns None only for X None, excluded above
    if Xn.shape[1] != data.X.shape[1]:
        raise InvalidParameterError(
            f"X has {Xn.shape[1]} columns; the bounds were fitted with {data.X.shape[1]}"
        )
    e1_raw = _proba1(nuis.propensity_full, Xn)
    e1, _ = _clip_propensity(e1_raw, nuis.clip, None, where="predict")
    laws = {}
    for a in (0, 1):
        v, w = nuis.law_full[a].predict_law(Xn)
        v, w = _shrunk(v, w, nuis.marginal[a], nuis.law_full[a].shrinkage_)
        laws[a] = ArmLaw(v, w, np.arange(Xn.shape[0]))
    return e1, laws


def _nrows(X: Any) -> int:
    if hasattr(X, "shape"):
        return int(X.shape[0]) if len(X.shape) else 0
    return len(X)
