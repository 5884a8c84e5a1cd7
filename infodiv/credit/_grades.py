"""Rating grades from a score: cut points, the grade of each score, the PD of each grade.

:func:`rating_grades` returns a :class:`RatingGrades`: ``K`` ordered grades, grade 1 the best
(lowest default rate), cut by ``K - 1`` score values. The cut points are the user's
(``cuts=``), or by default a binning of the score by the project's own
:class:`~infodiv.binning.StumpBinner` with the event rate forced to rise from grade to grade
(``monotone_trend``), at most ``max_grades`` grades and each holding at least ``min_share``
of the rows.

A score equal to a cut point goes to the grade above the cut (``[c_{k-1}, c_k)`` on the score
scale, as :class:`~infodiv.core.FeatureBins`). With ``higher="safe"`` (points: a higher score
is a better obligor) grade 1 holds the highest scores.

The PD of a grade (:attr:`RatingGrades.pd_`) is the user's (``pd=``, a master scale), or the
observed default rate of the grade on the rows it was fitted on, floored at ``pd_floor``
(0.03%, the Basel floor for corporate and retail exposures): a grade with no default on the
development sample would otherwise carry a PD of 0, which every calibration test rejects at
the first default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from infodiv._param_validation import Interval, StrOptions, validate_params
from infodiv._validation import check_alpha, check_binary_target, check_real_array
from infodiv.core import ConfidenceInterval, ResultBase
from infodiv.exceptions import InvalidParameterError

__all__ = ["PD_FLOOR", "RatingGrades", "jeffreys_interval", "rating_grades"]

#: Default floor of a grade's PD estimated from data (0.03%).
PD_FLOOR = 0.0003


def check_default_flags(y: Any, name: str = "y", event: Any = None) -> np.ndarray:
    """Default flags coded 0/1 by the rule of the binary targets, one class allowed.

    A grade, or a whole sample, may hold no default (or only defaults): calibration tests take
    it. The values must still be 0/1 or booleans, or equal ``event`` for the defaults.
    """
    try:
        return check_binary_target(y, name, event)
    except InvalidParameterError as err:
        if "single class" not in str(err):
            raise
        values = pd.unique(pd.Series(np.asarray(y, dtype=object)))
        v = values[0]
        n = len(np.asarray(y, dtype=object))
        if event is not None:
            return np.full(n, int(bool(v == event)), dtype=np.int64)
        if isinstance(v, bool | np.bool_ | int | np.integer | float | np.floating) and v in (0, 1):
            return np.full(n, int(v), dtype=np.int64)
        raise InvalidParameterError(
            f"{name} holds the single label {v!r}: name the default label with event=, or "
            "code the defaults 1 and the others 0"
        ) from None


def check_scores(score: Any, name: str = "score") -> np.ndarray:
    """One finite number per row, or ``InvalidParameterError`` naming ``name``."""
    s = check_real_array(score, name, "numbers, one per row")
    if s.ndim != 1:
        s = s.ravel() if s.ndim == 2 and 1 in s.shape else s
    if s.ndim != 1:
        raise InvalidParameterError(f"{name} must be one number per row; got shape {s.shape}")
    if s.size == 0:
        raise InvalidParameterError(f"{name} is empty")
    if not np.isfinite(s).all():
        j = int(np.flatnonzero(~np.isfinite(s))[0])
        raise InvalidParameterError(
            f"{name} contains NaN or inf (row {j}: {s[j]!r}); grade only scored rows"
        )
    return s


@dataclass(repr=False)
class RatingGrades(ResultBase):
    """Ordered rating grades on a score, with the PD of each grade.

    A vector result indexed by grade (1 = best): ``estimate`` is the PD of each grade, ``se``
    its binomial standard error on the fitting rows, :meth:`conf_int` the Jeffreys interval
    of the default rate there.

    Parameters
    ----------
    cuts : ndarray
        The ``K - 1`` increasing cut points on the score scale.
    higher : {"risk", "safe"}
        ``"risk"``: a higher score is a riskier obligor (a PD); ``"safe"``: a better one
        (points). Grade 1 is always the best.
    pd_ : ndarray
        PD of each grade (grade 1 first).
    n, defaults : ndarray
        Rows and defaults of each grade on the fitting data (NaN without a target).
    method : str
        ``"given"`` (user cut points) or ``"stump"`` (the default binning).
    pd_source : str
        ``"given"`` (the user's PDs), ``"observed"`` (default rates of the fitting rows,
        floored at ``pd_floor``) or ``"none"``.
    pd_floor : float
        The floor applied to observed default rates.
    alpha : float, default 0.05
        Level of the intervals.
    labels : list of int, optional
        The grade labels (default ``1 .. K``).
    """

    cuts: np.ndarray
    higher: str
    pd_: np.ndarray
    n: np.ndarray
    defaults: np.ndarray
    method: str = "given"
    pd_source: str = "observed"
    pd_floor: float = PD_FLOOR
    alpha: float = 0.05
    labels: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.labels:
            self.labels = list(range(1, len(self.cuts) + 2))

    @property
    def n_grades(self) -> int:
        """The number of grades ``K``."""
        return len(self.cuts) + 1

    @property
    def _index(self) -> pd.Index:
        return pd.Index(self.labels, name="grade")

    @property
    def estimate(self) -> pd.Series:
        """The PD of each grade."""
        return pd.Series(self.pd_, index=self._index, name="pd")

    @property
    def se(self) -> pd.Series:
        """Binomial SE ``sqrt(r (1 - r) / n)`` of each grade's default rate on the fitting rows."""
        with np.errstate(invalid="ignore", divide="ignore"):
            r = self.defaults / self.n
            return pd.Series(np.sqrt(r * (1 - r) / self.n), index=self._index)

    @property
    def pd_by_grade(self) -> dict[int, float]:
        """``{grade: PD}``."""
        return {g: float(p) for g, p in zip(self.labels, self.pd_, strict=True)}

    def conf_int(self, alpha: float | None = None) -> ConfidenceInterval:
        """Give the Jeffreys interval of each grade's default rate on the fitting rows.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the result's ``alpha``.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)`` Series on the grades: the ``alpha/2`` and ``1 - alpha/2``
            quantiles of ``Beta(D + 1/2, N - D + 1/2)`` (NaN without a target).
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        lo, hi = jeffreys_interval(self.defaults, self.n, a)
        return ConfidenceInterval(
            pd.Series(lo, index=self._index), pd.Series(hi, index=self._index)
        )

    def bounds(self) -> pd.DataFrame:
        """The score range of each grade: ``score_low`` (included) and ``score_high``.

        Returns
        -------
        pandas.DataFrame
            Indexed by grade; ``-inf`` / ``inf`` at the open ends.
        """
        edges = np.concatenate([[-np.inf], self.cuts, [np.inf]])
        lo, hi = edges[:-1], edges[1:]
        if self.higher == "safe":
            lo, hi = lo[::-1], hi[::-1]
        return pd.DataFrame({"score_low": lo, "score_high": hi}, index=self._index)

    def assign(self, score: Any) -> np.ndarray:
        """The grade (1 = best) of every score.

        Parameters
        ----------
        score : array-like
            One finite score per row, on the scale the grades were cut on.

        Returns
        -------
        ndarray of int
            Grades ``1 .. K``.
        """
        s = check_scores(score)
        k = np.searchsorted(self.cuts, s, side="right")  # 0 .. K-1 from the lowest score
        g = k + 1 if self.higher == "risk" else self.n_grades - k
        return g.astype(np.int64)

    def pd_of(self, score: Any) -> np.ndarray:
        """The PD of the grade of every score.

        Parameters
        ----------
        score : array-like
            One finite score per row.

        Returns
        -------
        ndarray of float
            The grade PD of each row.
        """
        return np.asarray(self.pd_, dtype=float)[self.assign(score) - 1]

    def summary(self) -> pd.DataFrame:
        """One row per grade.

        Returns
        -------
        pandas.DataFrame
            Indexed by grade: ``estimate`` (the PD), ``se``, ``ci_low``, ``ci_high`` (Jeffreys
            interval of the default rate), ``n``, ``defaults``, ``default_rate``, ``share``,
            ``score_low`` and ``score_high``.
        """
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = self.defaults / self.n
            share = self.n / np.nansum(self.n)
        b = self.bounds()
        return self._frame(
            self._index,
            n=self.n,
            defaults=self.defaults,
            default_rate=rate,
            share=share,
            score_low=b["score_low"].to_numpy(),
            score_high=b["score_high"].to_numpy(),
        )

    def to_dict(self) -> dict[str, Any]:
        """The grades as a JSON-friendly dict.

        Returns
        -------
        dict
            ``cuts`` (numbers), ``higher``, ``method``, ``pd_source``, ``pd_floor`` and
            ``grades`` (one record per grade: ``grade``, ``pd``, ``n``, ``defaults``,
            ``score_low``, ``score_high``; NaN and infinities as ``None``).
        """
        t = self.summary()
        recs = []
        for g, r in t.iterrows():
            recs.append(
                {
                    "grade": int(g),  # type: ignore[call-overload]
                    "pd": _num(r["estimate"]),
                    "n": _num(r["n"]),
                    "defaults": _num(r["defaults"]),
                    "score_low": _num(r["score_low"]),
                    "score_high": _num(r["score_high"]),
                }
            )
        return {
            "cuts": [float(c) for c in self.cuts],
            "higher": self.higher,
            "method": self.method,
            "pd_source": self.pd_source,
            "pd_floor": float(self.pd_floor),
            "grades": recs,
        }

    def __repr__(self) -> str:
        cuts = ", ".join(f"{c:.4g}" for c in self.cuts)
        pds = ", ".join(f"{p:.4g}" for p in self.pd_)
        return (
            f"RatingGrades({self.n_grades} grades, 1 = best, higher score = {self.higher}; "
            f"cuts [{cuts}]; PD [{pds}] ({self.pd_source}); method {self.method})"
        )


def _num(v: Any) -> float | None:
    v = float(v)
    return v if np.isfinite(v) else None


def jeffreys_interval(defaults: Any, n: Any, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Compute the Jeffreys interval of default rates: ``Beta(D + 1/2, N - D + 1/2)`` quantiles.

    The interval of :func:`jeffreys_test` and of the rating grades' PDs. The lower end is 0
    when ``D = 0`` and the upper end 1 when ``D = N`` (Brown, Cai and DasGupta's convention).

    Parameters
    ----------
    defaults : array-like
        Defaults ``D`` per group.
    n : array-like
        Rows ``N`` per group (same shape as ``defaults``).
    alpha : float, default 0.05
        1 - the level: the ends are the ``alpha/2`` and ``1 - alpha/2`` quantiles.

    Returns
    -------
    tuple of ndarray
        The lower and upper ends (NaN where a count is NaN, e.g. grades made without a
        target).

    Examples
    --------
    >>> lo, hi = jeffreys_interval([0, 5], [10, 10])
    >>> float(lo[0]), round(float(hi[1]), 4)
    (0.0, 0.7765)
    """
    a = check_alpha(alpha)
    d = np.asarray(defaults, dtype=float)
    m = np.asarray(n, dtype=float)
    if d.shape != m.shape:
        raise InvalidParameterError(
            f"defaults and n must have the same shape; got {d.shape} and {m.shape}"
        )
    known = ~(np.isnan(d) | np.isnan(m))  # unknown counts (no target) give NaN ends
    if (
        np.isinf(d).any()
        or np.isinf(m).any()
        or (d[known] < 0).any()
        or (d[known] > m[known]).any()
    ):
        raise InvalidParameterError("defaults and n must be counts with 0 <= defaults <= n")
    with np.errstate(invalid="ignore"):
        lo = stats.beta.ppf(a / 2, d + 0.5, m - d + 0.5)
        hi = stats.beta.ppf(1 - a / 2, d + 0.5, m - d + 0.5)
    lo = np.where(d == 0, 0.0, lo)
    hi = np.where(d == m, 1.0, hi)
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


def _stump_cuts(
    s: np.ndarray, y: np.ndarray, max_grades: int, min_share: float, random_state: int | None
) -> np.ndarray:
    from infodiv.binning import StumpBinner

    binner = StumpBinner(
        max_bins=max_grades,
        min_bin_share=min_share,
        monotone_trend="increasing",
        random_state=random_state,
    )
    binner.fit(pd.DataFrame({"score": s}), y)
    edges = binner.bins_["score"].edges
    return np.asarray([float(e) for e in (edges or ())], dtype=float)


def rating_grades(
    score: Any,
    target: Any = None,
    *,
    cuts: Any = None,
    pd: Any = None,
    higher: str = "risk",
    max_grades: int = 10,
    min_share: float = 0.05,
    pd_floor: float = PD_FLOOR,
    alpha: float = 0.05,
    event: Any = None,
    random_state: int | None = 0,
) -> RatingGrades:
    """Rating grades on ``score``: cut points (given or learned) and the PD of each grade.

    Parameters
    ----------
    score : array-like
        One finite score per row (a PD, a log-odds, or points with ``higher="safe"``).
    target : array-like, optional
        Binary default flag per row (1/``True`` = default, or two labels with ``event``):
        needed to learn the cut points and to estimate the grade PDs from data.
    cuts : sequence of float, optional
        The ``K - 1`` cut points on the score scale (strictly increasing). Default: learned
        by :class:`~infodiv.binning.StumpBinner` on the score with the default rate forced to
        rise across grades (see the module docstring).
    pd : sequence of float, optional
        The PD of each grade, grade 1 (best) first (a master scale). Default: the observed
        default rate of each grade on these rows, floored at ``pd_floor``.
    higher : {"risk", "safe"}, default "risk"
        Whether a higher score is a riskier (PD, log-odds) or a safer (points) obligor.
    max_grades : int, default 10
        Most grades of the learned cut points.
    min_share : float, default 0.05
        Smallest share of the rows in a learned grade.
    pd_floor : float, default 0.0003
        Floor of a PD estimated from data.
    alpha : float, default 0.05
        Level of the Jeffreys intervals of :meth:`RatingGrades.conf_int`.
    event : label, optional
        The default value of ``target`` when it is not 0/1 or boolean.
    random_state : int or None, default 0
        Seed of the binner.

    Returns
    -------
    RatingGrades
        The grades: ``cuts``, :meth:`~RatingGrades.assign`, ``pd_`` and ``summary()``.

    Examples
    --------
    >>> import numpy as np
    >>> g = rating_grades([0.01, 0.02, 0.05, 0.2], [0, 0, 1, 1], cuts=[0.03, 0.1])
    >>> g.assign([0.001, 0.03, 0.5]).tolist()
    [1, 2, 3]
    >>> g.pd_.tolist()
    [0.0003, 1.0, 1.0]
    """
    validate_params(
        {
            "higher": higher,
            "max_grades": max_grades,
            "min_share": min_share,
            "pd_floor": pd_floor,
            "random_state": random_state,
        },
        {
            "higher": [StrOptions({"risk", "safe"})],
            "max_grades": [Interval(Integral, 2, None, closed="left")],
            "min_share": [Interval(Real, 0, 0.5, closed="left")],
            "pd_floor": [Interval(Real, 0, 1, closed="left")],
            "random_state": [Interval(Integral, 0, None, closed="left"), None],
        },
        caller="rating_grades",
    )
    a = check_alpha(alpha)
    s = check_scores(score)
    y = None
    if target is not None:
        y = (
            check_binary_target(target, "target", event)
            if cuts is None
            else check_default_flags(target, "target", event)
        )
        if len(y) != len(s):
            raise InvalidParameterError(
                f"length mismatch: score has {len(s)} rows, target has {len(y)}"
            )
    if cuts is None:
        if y is None:
            raise InvalidParameterError(
                "target is needed to learn the grade cut points; or give cuts= (the K - 1 "
                "score values between grades)"
            )
        oriented = s if higher == "risk" else -s
        c = _stump_cuts(oriented, y, int(max_grades), float(min_share), random_state)
        if higher == "safe":  # cut -s at c  <=>  cut s at -c; keep [low, high) on s
            c = np.sort(-c)
            c = np.nextafter(c, np.inf)
        method = "stump"
    else:
        c = check_real_array(cuts, "cuts", "increasing numbers (the score values between grades)")
        c = np.atleast_1d(c).ravel()
        if c.size == 0 or not np.isfinite(c).all() or (np.diff(c) <= 0).any():
            raise InvalidParameterError(
                f"cuts must be finite and strictly increasing, at least one; got {c.tolist()!r}"
            )
        method = "given"
    K = c.size + 1
    grades = RatingGrades(c, higher, np.full(K, np.nan), np.full(K, np.nan), np.full(K, np.nan))
    g = grades.assign(s)
    if y is not None:
        grades.n = np.bincount(g - 1, minlength=K).astype(float)
        grades.defaults = np.bincount(g - 1, weights=y, minlength=K).astype(float)
    if pd is not None:
        p = check_real_array(pd, "pd", "one PD per grade, grade 1 (best) first")
        p = np.atleast_1d(p).ravel()
        if p.size != K:
            raise InvalidParameterError(f"pd must hold one PD per grade ({K}); got {p.size}")
        if not ((p >= 0) & (p <= 1)).all():
            raise InvalidParameterError(f"pd must lie in [0, 1]; got {p.tolist()!r}")
        grades.pd_, grades.pd_source = p.astype(float), "given"
    elif y is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = grades.defaults / grades.n
        grades.pd_ = np.maximum(rate, float(pd_floor))
        grades.pd_source = "observed"
    else:
        grades.pd_source = "none"
    grades.method, grades.pd_floor, grades.alpha = method, float(pd_floor), a
    return grades
