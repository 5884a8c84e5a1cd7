"""Estimates of the conditional law of ``Y`` given ``A = a, X = x`` as weighted atoms.

The f-divergence and MSM bounds need the whole conditional law ``P_{a,x}``, not only its mean.
A *law model* is fitted on the rows of one treatment arm and, for new covariates, returns a
matrix of atom values and a matrix of weights (rows sum to one):

* :class:`ClassifierLaw`: for a discrete outcome (at most ``max_levels`` distinct values, e.g.
  binary), any scikit-learn classifier's ``predict_proba`` over the observed values. Exact for
  discrete outcomes, no binning. The default for outcomes with at most 20 distinct values
  (multinomial logistic regression on standardised covariates).
* :class:`NearestNeighborLaw`: the ``k`` nearest neighbours of ``x`` in the arm (Euclidean
  distance on standardised covariates), uniform or inverse-distance weights. The default for
  continuous outcomes.

The bounds depend on the law's mass near the support endpoints, where the functional is far
from linear (for KL, Hellinger and JS its derivative is infinite at zero mass). A law model
that pools information across ``x`` (the classifier) estimates those masses much better than
neighbours do: with neighbours the averaged bounds carry a second-order bias that the
orthogonal score does not remove (``benchmarks/causal_coverage.py`` measures it).

The cross-fitting driver (:mod:`infodiv.causal._nuisance`) then mixes every estimated law with
the arm's marginal law (weight ``shrinkage_``, ``1/(k+1)`` for neighbours, i.e. one
pseudo-neighbour), coarsened to its masses at the support endpoints and its interior mean. This
keeps every conditional law charging a support endpoint that the arm's data attain: without it
a held-out outcome at the endpoint whose neighbours all lie inside would have an infinite
conjugate ``k(0)`` in the orthogonal score (KL, Hellinger, JS), and dropping it would bias the
bound.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.neighbors import KNeighborsRegressor, NearestNeighbors
from sklearn.preprocessing import StandardScaler

from infodiv.exceptions import InvalidParameterError

__all__ = ["ClassifierLaw", "NearestNeighborLaw", "resolve_law_model"]


def _default_neighbors(n: int) -> int:
    """Default number of neighbours for an arm of ``n`` rows: ``sqrt(n)`` clipped to [10, 50]."""
    return int(min(max(10, round(np.sqrt(n))), 50, n))


class NearestNeighborLaw(BaseEstimator):
    """Conditional law from the ``k`` nearest neighbours in the arm.

    Parameters
    ----------
    n_neighbors : int, optional
        ``k``; default ``round(sqrt(n_arm))`` clipped to [10, 50] (and to the arm size).
    weights : {"uniform", "distance"}
        Uniform weights ``1/k`` or inverse-distance weights (as in
        :class:`sklearn.neighbors.KNeighborsRegressor`).
    scale : bool
        Standardise the covariates (on the arm's rows) before measuring distances.

    Examples
    --------
    >>> import numpy as np
    >>> law = NearestNeighborLaw(n_neighbors=2).fit(np.array([[0.], [1.], [5.]]), np.array([1., 2., 3.]))
    >>> values, weights = law.predict_law(np.array([[0.2]]))
    >>> sorted(values[0].tolist()), weights[0].tolist()
    ([1.0, 2.0], [0.5, 0.5])
    """

    def __init__(
        self, n_neighbors: int | None = None, weights: str = "uniform", scale: bool = True
    ):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.scale = scale

    def fit(self, X: np.ndarray, y: np.ndarray) -> NearestNeighborLaw:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        n = X.shape[0]
        if self.weights not in ("uniform", "distance"):
            raise InvalidParameterError(
                f"weights must be 'uniform' or 'distance'; got {self.weights!r}"
            )
        k = _default_neighbors(n) if self.n_neighbors is None else int(self.n_neighbors)
        if k < 1:
            raise InvalidParameterError(
                f"n_neighbors must be a positive integer; got {self.n_neighbors!r}"
            )
        self.k_ = min(k, n)
        self.scaler_ = StandardScaler().fit(X) if self.scale else None
        Xs = self.scaler_.transform(X) if self.scaler_ is not None else X
        self.nn_ = NearestNeighbors(n_neighbors=self.k_).fit(Xs)
        self.y_ = y
        self.shrinkage_ = 1.0 / (self.k_ + 1.0)
        return self

    def predict_law(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Atom values and weights, both of shape ``(n_rows, k)``."""
        X = np.asarray(X, dtype=float)
        Xs = self.scaler_.transform(X) if self.scaler_ is not None else X
        dist, ind = self.nn_.kneighbors(Xs, n_neighbors=self.k_)
        values = self.y_[ind]
        if self.weights == "uniform":
            w = np.full(values.shape, 1.0 / self.k_)
        else:
            with np.errstate(divide="ignore"):
                inv = 1.0 / dist
            exact = ~np.isfinite(inv)
            inv = np.where(exact.any(axis=1, keepdims=True), exact.astype(float), inv)
            w = inv / inv.sum(axis=1, keepdims=True)
        return values, w


class ClassifierLaw(BaseEstimator):
    """Conditional law of a discrete outcome from a classifier's ``predict_proba``.

    Parameters
    ----------
    classifier : scikit-learn classifier
        Fitted (a clone) on the arm's rows with the outcome's distinct values as classes.
    max_levels : int
        Refuse outcomes with more distinct values than this (use :class:`NearestNeighborLaw`).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.linspace(-2, 2, 40)[:, None]; y = (X[:, 0] > 0).astype(float)
    >>> law = ClassifierLaw(LogisticRegression()).fit(X, y)
    >>> values, weights = law.predict_law(np.array([[3.0]]))
    >>> values[0].tolist(), bool(weights[0, 1] > 0.9)
    ([0.0, 1.0], True)
    """

    def __init__(self, classifier: Any = None, max_levels: int = 50):
        self.classifier = classifier
        self.max_levels = max_levels

    def fit(self, X: np.ndarray, y: np.ndarray) -> ClassifierLaw:
        y = np.asarray(y, dtype=float)
        levels, codes = np.unique(y, return_inverse=True)
        if levels.size > self.max_levels:
            raise InvalidParameterError(
                f"outcome_model: a classifier law needs a discrete outcome with at most "
                f"{self.max_levels} distinct values; Y has {levels.size} in this arm "
                "(use NearestNeighborLaw for a continuous outcome)"
            )
        self.levels_ = levels
        if levels.size == 1:
            self.model_ = None
        else:
            if self.classifier is None:
                from sklearn.linear_model import LogisticRegression

                base = LogisticRegression(max_iter=1000)
            else:
                base = self.classifier
            self.model_ = clone(base).fit(np.asarray(X, dtype=float), codes)
        self.shrinkage_ = 1.0 / (y.size + 1.0)
        return self

    def predict_law(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Atom values (the outcome's levels) and predicted probabilities."""
        X = np.asarray(X, dtype=float)
        n = X.shape[0]
        values = np.broadcast_to(self.levels_, (n, self.levels_.size)).copy()
        if self.model_ is None:
            return values, np.ones((n, 1))
        proba = np.zeros((n, self.levels_.size))
        proba[:, self.model_.classes_] = self.model_.predict_proba(X)
        proba = np.clip(proba, 0.0, None)
        return values, proba / proba.sum(axis=1, keepdims=True)


#: Outcomes with at most this many distinct values get a classifier law by default.
_DISCRETE_LEVELS = 20


def _default_law_model(n_levels: int) -> BaseEstimator:
    """The default law: multinomial logistic regression on standardised covariates for an
    outcome with at most :data:`_DISCRETE_LEVELS` distinct values, else nearest neighbours."""
    if n_levels <= _DISCRETE_LEVELS:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        return ClassifierLaw(make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)))
    return NearestNeighborLaw()


def resolve_law_model(outcome_model: Any, n_levels: int | None = None) -> BaseEstimator:
    """Turn the user's ``outcome_model`` into a law model (an unfitted clone).

    ``None`` -> :func:`_default_law_model` (classifier law for a discrete outcome with at most
    20 levels, else :class:`NearestNeighborLaw`); an int ``k`` -> ``NearestNeighborLaw(k)``; a
    :class:`~sklearn.neighbors.KNeighborsRegressor` -> neighbours with its ``n_neighbors`` and
    ``weights``; any classifier -> :class:`ClassifierLaw`; a law model is used as is.
    """
    if outcome_model is None:
        return _default_law_model(n_levels if n_levels is not None else _DISCRETE_LEVELS + 1)
    if isinstance(outcome_model, (int, np.integer)) and not isinstance(outcome_model, bool):
        if outcome_model < 1:
            raise InvalidParameterError(
                f"outcome_model: n_neighbors must be >= 1; got {outcome_model!r}"
            )
        return NearestNeighborLaw(n_neighbors=int(outcome_model))
    if isinstance(outcome_model, (NearestNeighborLaw, ClassifierLaw)):
        return clone(outcome_model)
    if isinstance(outcome_model, KNeighborsRegressor):
        w = outcome_model.weights
        if w not in ("uniform", "distance"):
            raise InvalidParameterError(
                f"outcome_model: KNeighborsRegressor weights={w!r} is not supported"
            )
        return NearestNeighborLaw(n_neighbors=outcome_model.n_neighbors, weights=w)
    if is_classifier(outcome_model):
        return ClassifierLaw(outcome_model)
    if hasattr(outcome_model, "fit") and hasattr(outcome_model, "predict_law"):
        return clone(outcome_model)
    raise InvalidParameterError(
        "outcome_model must be None, an int (neighbours), a KNeighborsRegressor, a classifier "
        f"(discrete outcomes) or a law model with fit/predict_law; got {outcome_model!r}"
    )
