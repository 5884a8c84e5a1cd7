"""Candidate binnings per feature, the choices the fairness frontier selects among.

A *candidate generator* is any object with a method

``generate(X, y, sample_weight) -> {feature: {candidate_name: FeatureBins}}``

learned on the training rows. :class:`QuantileCandidates` (the default) gives quantile bins at
several bin counts; :class:`StumpCandidates` the bins of :class:`~infodiv.binning._stump.
StumpBinner` (depth-1 XGBoost stumps, monotone WoE) at several maximum bin counts;
:class:`FixedCandidates` wraps binnings given by the user.

A candidate with a single regular bin carries no information and is never proposed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol, cast, runtime_checkable

import numpy as np
import pandas as pd

from infodiv.core import (
    FeatureBins,
    infer_bins,
    integer_values,
    is_categorical,
    numeric_array,
    time_kind,
)
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "CandidateGenerator",
    "QuantileCandidates",
    "StumpCandidates",
    "FixedCandidates",
    "as_generator",
]

Candidates = dict[str, dict[str, FeatureBins]]


@runtime_checkable
class CandidateGenerator(Protocol):
    """Anything that proposes candidate binnings for every column of ``X``."""

    def generate(
        self, X: pd.DataFrame, y: np.ndarray, sample_weight: np.ndarray | None
    ) -> Candidates: ...  # pragma: no cover


class QuantileCandidates:
    """Weighted-quantile bins at several bin counts (one candidate per distinct binning).

    Numeric columns get ``n_bins`` candidates named ``"q{k}"`` (bins that collapse onto the
    same edges, e.g. for a column with few distinct values, are kept once, under the first
    name; a binning with a single regular bin is dropped, and a column where every binning
    collapses gets the one split above its smallest value, ``"min"``). Categorical and bool columns get one candidate, one bin per category (``"cat"``).
    Missing values always have their own bin.

    Parameters
    ----------
    n_bins : sequence of int
        Bin counts (default 2, 3, 4, 5, 6, 8, 10, 12: eight candidates).

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"x": range(100)})
    >>> c = QuantileCandidates(n_bins=(2, 4)).generate(X, None, None)
    >>> {k: len(v.edges) + 1 for k, v in c["x"].items()}
    {'q2': 2, 'q4': 4}
    """

    def __init__(self, n_bins: Sequence[int] = (2, 3, 4, 5, 6, 8, 10, 12)):
        self.n_bins = tuple(n_bins)

    def generate(
        self, X: pd.DataFrame, y: np.ndarray | None = None, sample_weight: np.ndarray | None = None
    ) -> Candidates:
        if not self.n_bins or any(int(k) != k or k < 2 for k in self.n_bins):
            raise InvalidParameterError(f"n_bins must be integers >= 2; got {self.n_bins!r}")
        out: Candidates = {}
        for c in X.columns:
            f = str(c)
            col = X[c]
            if is_categorical(col):
                out[f] = {"cat": infer_bins(col, None, f)}
                continue
            cands: dict[str, FeatureBins] = {}
            seen: set[tuple[float, ...]] = set()
            for k in self.n_bins:
                fb = infer_bins(col, int(k), f, sample_weight=sample_weight)
                if fb.edges in seen or not fb.edges:
                    continue
                seen.add(fb.edges)
                cands[f"q{k}"] = fb
            if not cands:
                # More than 1 - 1/max(n_bins) of the rows share the smallest value: split there.
                exact = integer_values(col)  # integers beyond 2**53: exact
                if exact is not None:
                    vals = np.unique(exact[0][~exact[1]])
                else:
                    vals = numeric_array(col, f)
                    vals = np.unique(vals[~np.isnan(vals)])
                if vals.size < 2:
                    raise InvalidParameterError(
                        f"column {f!r} is constant (every value is {vals[:1]!r})"
                    )
                kind = time_kind(col.dtype)
                cands["min"] = FeatureBins(
                    f,
                    edges=(vals[1].item(),),  # a float, or an exact int
                    time_dtype=None if kind is None else f"{kind}64[ns]",
                )
            out[f] = cands
        return out

    def __repr__(self) -> str:
        return f"QuantileCandidates(n_bins={self.n_bins})"


class StumpCandidates:
    """Stump bins (:class:`~infodiv.binning.StumpBinner`) at several maximum bin counts.

    One ``StumpBinner`` is fitted per ``max_bins`` value on the training rows; each distinct
    binning of a feature becomes a candidate named ``"s{k}"``. ``strategy="per_feature"`` (the
    default here) fits each column on its own, so that a feature's bins do not depend on which
    other features are strong; ``"joint"`` is faster but leaves weak features unsplit. A
    feature no binner splits gets no candidate (it is reported in ``unsplit_``).

    Parameters
    ----------
    max_bins : sequence of int
    monotone_trend : {"auto", "increasing", "decreasing"} or None
    strategy : {"per_feature", "joint"}
    min_bin_share : float
    random_state, n_jobs :
        Passed to ``StumpBinner``.
    """

    def __init__(
        self,
        max_bins: Sequence[int] = (2, 3, 4, 5, 6, 8, 10, 12),
        monotone_trend: Any = "auto",
        strategy: str = "per_feature",
        min_bin_share: float = 0.05,
        random_state: int | None = None,
        n_jobs: int | None = None,
    ):
        self.max_bins = tuple(max_bins)
        self.monotone_trend = monotone_trend
        self.strategy = strategy
        self.min_bin_share = min_bin_share
        self.random_state = random_state
        self.n_jobs = n_jobs

    def generate(
        self, X: pd.DataFrame, y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> Candidates:
        from infodiv.binning._stump import StumpBinner

        if not self.max_bins or any(int(k) != k or k < 2 for k in self.max_bins):
            raise InvalidParameterError(f"max_bins must be integers >= 2; got {self.max_bins!r}")
        out: Candidates = {str(c): {} for c in X.columns}
        seen: dict[str, set[Any]] = {str(c): set() for c in X.columns}
        for k in self.max_bins:
            binner = StumpBinner(
                max_bins=int(k),
                monotone_trend=self.monotone_trend,
                strategy=cast(Literal["joint", "per_feature"], self.strategy),
                min_bin_share=self.min_bin_share,
                random_state=self.random_state,
                n_jobs=self.n_jobs,
            ).fit(X, y, sample_weight=sample_weight, weights="sampling")
            for f, fb in binner.bins_.items():
                f = str(f)
                if fb.n_regular < 2:
                    continue
                sig = (fb.edges, fb.categories, fb.special_values)
                if sig in seen[f]:
                    continue
                seen[f].add(sig)
                out[f][f"s{k}"] = fb
        self.unsplit_ = [f for f, c in out.items() if not c]
        return {f: c for f, c in out.items() if c}

    def __repr__(self) -> str:
        return f"StumpCandidates(max_bins={self.max_bins}, strategy={self.strategy!r})"


class FixedCandidates:
    """Candidate binnings given by the user: ``{feature: [FeatureBins | edges | int, ...]}``.

    A list entry is a :class:`~infodiv.core.FeatureBins`, a sequence of interior edges, or an
    int (that many quantile bins on the training rows); a dict entry names its candidates.
    Columns of ``X`` not listed fall back to ``default`` (a generator; ``None`` skips them).
    """

    def __init__(
        self,
        candidates: Mapping[str, Sequence[Any] | Mapping[str, Any]],
        default: CandidateGenerator | None = None,
    ):
        self.candidates = candidates
        self.default = default

    def generate(
        self, X: pd.DataFrame, y: np.ndarray | None = None, sample_weight: np.ndarray | None = None
    ) -> Candidates:
        unknown = [f for f in self.candidates if f not in X.columns]
        if unknown:
            raise InvalidParameterError(
                f"candidates name columns that are not model inputs: {unknown}"
            )
        out: Candidates = {}
        for f, spec in self.candidates.items():
            items = (
                spec.items()
                if isinstance(spec, Mapping)
                else ((f"c{i}", s) for i, s in enumerate(spec))
            )
            cands = {}
            for name, s in items:
                fb = infer_bins(X[f], s, str(f), sample_weight=sample_weight)
                if fb.feature != str(f):
                    raise InvalidParameterError(
                        f"candidates[{f!r}][{name!r}] are bins of {fb.feature!r}, not of {f!r}"
                    )
                cands[str(name)] = fb
            if not cands:
                raise InvalidParameterError(f"candidates[{f!r}] is empty")
            out[str(f)] = cands
        rest = [c for c in X.columns if c not in self.candidates]
        if rest and self.default is not None:
            # y is passed on unchanged (the protocol types the target as an array)
            out.update(self.default.generate(X[rest], cast(np.ndarray, y), sample_weight))
        return out


def as_generator(candidates: Any) -> CandidateGenerator:
    """The generator behind a ``candidates`` argument.

    ``None`` or ``"quantile"``: :class:`QuantileCandidates`; ``"stump"``:
    :class:`StumpCandidates`; a dict: :class:`FixedCandidates` (quantile candidates for the
    columns it does not name); or any object with ``generate(X, y, sample_weight)``.
    """
    if candidates is None or (isinstance(candidates, str) and candidates == "quantile"):
        return QuantileCandidates()
    if isinstance(candidates, str) and candidates == "stump":
        return StumpCandidates()
    if isinstance(candidates, Mapping):
        return FixedCandidates(candidates, default=QuantileCandidates())
    if isinstance(candidates, CandidateGenerator):
        return candidates
    raise InvalidParameterError(
        "candidates must be None, 'quantile', 'stump', a dict {feature: [bins, ...]} or an object with "
        f"generate(X, y, sample_weight); got {type(candidates).__name__}"
    )
