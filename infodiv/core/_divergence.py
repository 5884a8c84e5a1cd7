"""The divergence engine: f-divergences of two count vectors with honest uncertainty.

Every number infodiv reports about the difference of two discrete distributions comes from
:func:`divergence`: information value (IV), population stability index (PSI) and the
"fairness IV" between protected groups are all the Jeffreys divergence of two count vectors.

Model and formulas (see ``docs/numbers.md`` and ``shared/specs/divergence-se.md``):

* Two independent samples over the same K cells, ``P ~ Multinomial(n1, p)`` and
  ``Q ~ Multinomial(n2, q)``; plug-in ``p = P/n1``, ``q = Q/n2``.
* ``D_f(p || q) = sum_j q_j f(p_j / q_j)`` for a convex generator ``f`` with ``f(1) = 0``.
* Full delta-method variance, both samples random, ``r = p/q``::

      Var(D) = Var_p(f'(r)) / n1 + Var_q(f(r) - r f'(r)) / n2

* Null law (H0: p = q): ``T = 2 n_eff D / f''(1) -> chi2(K - 1)``,
  ``n_eff = n1 n2 / (n1 + n2)`` (``n_eff = n1`` when ``q`` is a fixed reference).
* Leading small-sample bias ``f''(1)/2 (K - 1)(1/n1 + 1/n2)``; for Jeffreys
  ``(K - 1)(1/n1 + 1/n2)``. ``bias="second_order"`` uses the full plug-in second-order term.
* Intervals: near zero the gradient vanishes and the interval inverts the noncentral
  chi-square law ``T ~ chi2(K - 1, lambda = 2 n_eff D / f''(1))``; away from zero the hull of
  that interval and Wald's ``D +/- z SE``.
* Zero cells: a cell empty in both samples carries no mass and is left out of K; a cell empty in
  one sample only gets ``pseudocount`` (one half of an observation) added to *both* samples in
  that cell only, with a warning naming the cell; no row is ever dropped.
* Weights: counts may be weighted sums. Give the sums of squared weights and the variance uses
  Kish's effective sizes ``(sum w)^2 / sum w^2`` (sampling weights); without them the counts are
  frequency weights and ``n = sum of counts``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, special

from infodiv._param_validation import Interval, StrOptions, validate_params
from infodiv._validation import align_inputs, check_alpha, check_counts, warn_feature
from infodiv.core._results import ConfidenceInterval, ResultBase
from infodiv.core._thin import (
    MC_PER_BIN,
    SPARSE_PER_BIN,
    THIN_PER_BIN,
    affordable_bins,
    conditional_null,
)
from infodiv.exceptions import InvalidParameterError, ZeroCellWarning

__all__ = [
    "DIVERGENCES",
    "Generator",
    "DivergenceResult",
    "divergence",
    "get_generator",
    "ncx2_interval",
]

CIMethod = Literal["auto", "wald", "ncx2"]
PValueMethod = Literal["auto", "chi2", "monte-carlo"]


@dataclass(frozen=True)
class Generator:
    """A convex generator ``f`` with ``f(1) = 0`` and its derivatives.

    Parameters
    ----------
    name : str
        Name shown in results.
    f, df, d2f : callable
        ``f(t)``, ``f'(t)`` and ``f''(t)``, vectorised over ``t > 0``. ``d2f`` is ``None`` for
        a generator that is not twice differentiable at 1 (total variation).
    scale : float, default 1.0
        ``f`` is ``scale`` times the generator of the same ``name`` in :data:`DIVERGENCES`
        (the causal bounds use ``chi2`` at ``scale=0.5``, ``(t - 1)^2 / 2``; ``chi2`` itself
        always means ``(t - 1)^2``).
    f0, f_inf : float, optional
        ``f(0)`` and ``lim f(t)/t`` as ``t -> inf``: the unit costs of mass off the support of
        the other law (used by the causal dual; ``None`` where not needed).
    tau0 : float, optional
        Where the causal dual's ``k(tau)`` is smallest (``dQ/dP = 1``).
    barrier : bool, optional
        Whether ``k(0) = +inf`` or ``k'(0) = -inf`` in the causal dual (``sigma`` must stay
        positive when ``P`` charges the top of the support).
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    d2f: Callable[[np.ndarray], np.ndarray] | None = None
    scale: float = 1.0
    f0: float | None = None
    f_inf: float | None = None
    tau0: float | None = None
    barrier: bool | None = None

    @property
    def smooth(self) -> bool:
        """Whether ``f''(1)`` exists (needed by the chi-square law and the bias term)."""
        return self.d2f is not None

    @property
    def f2_at_1(self) -> float:
        """``f''(1)``: the curvature that scales the chi-square law; NaN if not smooth."""
        return float(self.d2f(np.array([1.0]))[0]) if self.d2f is not None else float("nan")

    @classmethod
    def from_callable(
        cls, f: Callable[[np.ndarray], np.ndarray], name: str | None = None
    ) -> Generator:
        """Wrap a user's convex ``f`` (with ``f(1) = 0``); derivatives by central differences.

        The first derivative uses a relative step ``1e-5 t`` and the second ``1e-3 t``, both
        central, which is accurate to about 1e-9 and 1e-6 for smooth ``f``.
        """

        def df(t: np.ndarray) -> np.ndarray:
            t = np.asarray(t, dtype=float)
            h = 1e-5 * t
            return (f(t + h) - f(t - h)) / (2 * h)

        def d2f(t: np.ndarray) -> np.ndarray:
            t = np.asarray(t, dtype=float)
            h = 1e-3 * t
            return (f(t + h) - 2 * f(t) + f(t - h)) / h**2

        gen = cls(str(name or getattr(f, "__name__", "custom")), f, df, d2f)
        check_generator(gen)
        return gen


def _xlogx(t: np.ndarray) -> np.ndarray:
    return special.xlogy(t, t)


DIVERGENCES: dict[str, Generator] = {
    "kl": Generator("kl", _xlogx, lambda t: np.log(t) + 1.0, lambda t: 1.0 / t),
    "reverse_kl": Generator(
        "reverse_kl", lambda t: -np.log(t), lambda t: -1.0 / t, lambda t: 1.0 / t**2
    ),
    "jeffreys": Generator(
        "jeffreys",
        lambda t: (t - 1.0) * np.log(t),
        lambda t: np.log(t) + 1.0 - 1.0 / t,
        lambda t: 1.0 / t + 1.0 / t**2,
    ),
    "js": Generator(
        "js",
        lambda t: 0.5 * (_xlogx(t) - (t + 1.0) * np.log((t + 1.0) / 2.0)),
        lambda t: 0.5 * np.log(2.0 * t / (t + 1.0)),
        lambda t: 0.5 / (t * (t + 1.0)),
    ),
    "hellinger": Generator(
        "hellinger",
        lambda t: 0.5 * (np.sqrt(t) - 1.0) ** 2,
        lambda t: 0.5 * (1.0 - 1.0 / np.sqrt(t)),
        lambda t: 0.25 * t**-1.5,
    ),
    "tv": Generator("tv", lambda t: 0.5 * np.abs(t - 1.0), lambda t: 0.5 * np.sign(t - 1.0), None),
    "chi2": Generator(
        "chi2", lambda t: (t - 1.0) ** 2, lambda t: 2.0 * (t - 1.0), lambda t: 2.0 + 0.0 * t
    ),
}


#: Where a user's generator is checked: 241 points log-spaced over [1e-3, 1e3].
_CHECK_GRID = np.geomspace(1e-3, 1e3, 241)


def check_generator(gen: Generator) -> Generator:
    """``gen`` unchanged, or an error if it is not an f-divergence generator.

    An f-divergence needs ``f`` convex on ``(0, inf)`` with ``f(1) = 0``; otherwise
    ``sum q f(p/q)`` can be negative and its interval meaningless. Checked numerically:
    ``f(1) = 0`` (to 1e-8), ``f`` finite and vectorised on 241 points log-spaced over
    ``[1e-3, 1e3]``, and its chord slopes there non-decreasing (to a relative 1e-7).

    Parameters
    ----------
    gen : Generator
        The generator to check.

    Returns
    -------
    Generator
        ``gen`` itself.

    Raises
    ------
    infodiv.exceptions.InvalidParameterError
        Naming ``kind`` and what fails (``f(1)``, a non-finite value, a point where ``f`` is
        not convex).
    """
    t = _CHECK_GRID
    try:
        with np.errstate(all="ignore"):
            v = np.asarray(gen.f(t.copy()), dtype=float)
            f1 = np.asarray(gen.f(np.array([1.0])), dtype=float).ravel()
    except Exception as exc:  # a user's callable: any failure is a bad kind
        raise InvalidParameterError(
            f"kind: the generator {gen.name!r} fails on an array of ratios t > 0 "
            f"({type(exc).__name__}: {exc}); f must be vectorised over numpy arrays"
        ) from None
    if v.shape != t.shape or f1.size != 1:
        raise InvalidParameterError(
            f"kind: the generator {gen.name!r} must return one value per ratio "
            f"(f(t) of shape {t.shape} gave shape {v.shape})"
        )
    if not np.isfinite(f1[0]) or abs(f1[0]) > 1e-8:
        raise InvalidParameterError(
            f"kind: an f-divergence needs f(1) = 0; the generator {gen.name!r} has "
            f"f(1) = {f1[0]!r} (subtract f(1) from f)"
        )
    if not np.isfinite(v).all():
        j = int(np.flatnonzero(~np.isfinite(v))[0])
        raise InvalidParameterError(
            f"kind: the generator {gen.name!r} is not finite at t = {t[j]:.4g} "
            f"(f = {v[j]!r}); f must be finite on (0, inf)"
        )
    slopes = np.diff(v) / np.diff(t)
    jumps = np.diff(slopes)
    tol = 1e-7 * max(1.0, float(np.max(np.abs(slopes))))
    if (jumps < -tol).any():
        j = int(np.flatnonzero(jumps < -tol)[0]) + 1
        raise InvalidParameterError(
            f"kind: the generator {gen.name!r} is not convex (its slope decreases near "
            f"t = {t[j]:.4g}); an f-divergence needs a convex f with f(1) = 0, otherwise the "
            "'divergence' can be negative"
        )
    return gen


def get_generator(kind: str | Generator | Callable[[np.ndarray], np.ndarray]) -> Generator:
    """Resolve ``kind`` (a name in :data:`DIVERGENCES`, a :class:`Generator` or a callable).

    A user's generator (a callable or a :class:`Generator` not in :data:`DIVERGENCES`) is
    checked by :func:`check_generator`: convex, with ``f(1) = 0``.
    """
    if isinstance(kind, Generator):
        if any(kind is g for g in DIVERGENCES.values()):
            return kind
        return check_generator(kind)
    if isinstance(kind, str):
        try:
            return DIVERGENCES[kind]
        except KeyError:
            raise InvalidParameterError(
                f"kind must be one of {sorted(DIVERGENCES)} or a convex callable f; got {kind!r}"
            ) from None
    if callable(kind):
        return Generator.from_callable(kind)
    raise InvalidParameterError(f"kind must be a divergence name or a callable; got {kind!r}")


def ncx2_interval(stat: float, df: int, alpha: float) -> tuple[float, float]:
    """Interval for the noncentrality ``lam`` of ``chi2(df, lam)`` given one draw ``stat``.

    Inverts the distribution function: ``lam_lo`` solves ``F(stat; df, lam) = 1 - alpha/2``
    (0 if already below at ``lam = 0``) and ``lam_hi`` solves ``F(stat; df, lam) = alpha/2``.
    """
    return (_ncx2_root(stat, df, 1 - alpha / 2), _ncx2_root(stat, df, alpha / 2))


#: Beyond this noncentrality the noncentral chi-square CDF is its Edgeworth expansion:
#: scipy's gives NaN from about 1e11 on (counts totalling ~1e12, money-weighted tables).
_NCX2_EXACT_MAX = 1e9


def _ncx2_cdf_edgeworth(stat: float, df: int, lam: float) -> float:
    """CDF of ``chi2(df, lam)`` at ``stat`` by its one-term Edgeworth expansion.

    Mean ``df + lam``, variance ``2 (df + 2 lam)``, skewness
    ``g = 2^1.5 (df + 3 lam) / (df + 2 lam)^1.5``:
    ``F = Phi(z) - g / 6 (z^2 - 1) phi(z)``, with an error of order ``1 / lam`` (below 1e-9
    where it is used, ``lam > 1e9``). Every quantity is computed from ratios, so it stays
    finite for noncentralities up to the largest float.
    """
    v = df + 2.0 * lam
    z = (stat - df - lam) / np.sqrt(2.0 * v)
    g = 2.0**1.5 * ((df + 3.0 * lam) / v) / np.sqrt(v)
    phi = np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)
    return float(np.clip(special.ndtr(z) - g / 6.0 * (z * z - 1.0) * phi, 0.0, 1.0))


def _ncx2_root(stat: float, df: int, level: float) -> float:
    # the ufuncs behind stats.chi2.cdf / stats.ncx2.cdf (same values), without the
    # distribution machinery's per-call overhead: the root search evaluates this ~15 times
    def cdf(lam: float) -> float:
        if lam <= 0:
            return float(special.chdtr(df, stat))
        if lam <= _NCX2_EXACT_MAX:
            value = float(special.chndtr(stat, df, lam))
            if np.isfinite(value):
                return value
        return _ncx2_cdf_edgeworth(stat, df, lam)

    if cdf(0.0) <= level:
        return 0.0
    hi = max(1.0, stat)
    while cdf(hi) > level:
        hi *= 2.0
    return float(optimize.brentq(lambda lam: cdf(lam) - level, 0.0, hi, xtol=1e-10, rtol=1e-12))


def _ncx2_cls_root(stat: float, df: int, alpha: float) -> float:
    """CLs upper bound of the noncentrality ``lam`` of ``chi2(df, lam)`` given one draw ``stat``.

    Solves ``F(stat; df, lam) / F(stat; df, 0) = alpha``: the one-sided bound that inverts
    ``F(stat; df, lam) = alpha`` (:func:`ncx2_interval`), with the level divided by the null
    probability of a statistic as low as ``stat``. The ratio is 1 at ``lam = 0`` and decreases
    in ``lam``, so the root is always positive; as ``alpha F(stat; df, 0) <= alpha`` the bound
    is never below the plain inversion and covers at least ``1 - alpha`` wherever that does.
    When ``stat`` is 0 (or so small that ``F(stat; df, 0)`` underflows) the ratio is its limit
    ``exp(-lam / 2)`` and the root ``-2 ln(alpha)``.
    """
    f0 = float(special.chdtr(df, stat)) if stat > 0 else 0.0
    if f0 < 1e-290:
        return float(-2.0 * np.log(alpha))
    return _ncx2_root(stat, df, alpha * f0)


#: ``"auto"`` uses the noncentral chi-square law alone while the statistic is at most its null
#: mean plus this many null standard deviations: ``T <= (K-1) + 3 sqrt(2 (K-1))``
#: (docs/numbers.md, "Confidence intervals"); beyond, the hull with the Wald interval.
NEAR_ZERO_SDS = 3.0


@dataclass(repr=False)
class DivergenceResult(ResultBase):
    """The estimate of one f-divergence with its standard error, test and interval.

    Parameters
    ----------
    kind : str
        Divergence name.
    estimate : float
        Plug-in estimate (no smoothing when every cell is positive).
    se : float
        Full delta-method standard error with both samples random.
    bias : float
        Leading small-sample bias.
    statistic : float
        Chi-square statistic ``2 n_eff D / f''(1)``.
    df : int
        Its degrees of freedom, ``K - 1``.
    chi2_pvalue : float
        The chi-square p-value of H0: p = q (:attr:`pvalue` is the one to read: it is a
        Monte-Carlo permutation p-value in thin tables, see ``pvalue_method``).
    n1, n2, n_eff : float
        (Effective) sizes of the two samples and ``n1 n2 / (n1 + n2)`` (``n1`` for a fixed
        reference).
    alpha : float
        Level of the default interval.
    ci_method : {"auto", "wald", "ncx2"}
        Default interval method (see :meth:`conf_int`).
    p, q : ndarray
        The normalised cell probabilities actually used (after the zero-cell rule).
    contributions : ndarray
        Per-cell terms ``q_j f(p_j/q_j)`` summing to ``estimate``; NaN for empty cells.
    labels : list
        Cell labels.
    smoothed_cells, empty_cells : list
        Labels of the cells changed by the zero-cell rule and of the cells empty in both.
    reference : {"sampled", "fixed"}, default "sampled"
        Whether ``q`` was a second sample or a known distribution.
    f2_at_1 : float, default NaN
        ``f''(1)`` of the generator, which scales the chi-square law (NaN if not smooth).
    name : str, optional
        Name of the quantity (e.g. ``"IV"``); the kind labels the result without it.
    pvalue_method : {"auto", "chi2", "monte-carlo"}, default "auto"
        Null law of the test (see :attr:`pvalue_method_used`).
    n_resamples : int, default 2000
        Draws of the Monte-Carlo null.
    random_state : int or None, default 0
        Seed of the Monte-Carlo null (fixed: a result is reproducible).
    null_counts : tuple of two ndarrays, optional
        The two samples' counts on the cells used, before the zero-cell rule (what the
        Monte-Carlo null permutes); without them the test is the chi-square one.
    pseudocount : float, default 0.5
        The zero-cell rule's pseudocount (the Monte-Carlo null applies the same rule).
    generator : Generator, optional
        The generator (the Monte-Carlo null recomputes the divergence with it).

    Attributes
    ----------
    bias_corrected : float
        ``estimate - bias``.
    ci_method_used : str
        The interval method :meth:`conf_int` uses by default (a property).
    pvalue : float
        The p-value of H0: p = q by :attr:`pvalue_method_used` (a property).
    pvalue_method_used : str
        ``"chi2"`` or ``"monte-carlo (B=...)"`` (a property).
    per_bin : float
        Observations of the smaller sample per cell (a property).
    thin_note : str
        Why the interval and the bias correction are unreliable in a thin table ("" otherwise).
    """

    kind: str
    estimate: float
    se: float
    bias: float
    statistic: float
    df: int
    chi2_pvalue: float
    n1: float
    n2: float
    n_eff: float
    alpha: float
    ci_method: str
    p: np.ndarray
    q: np.ndarray
    contributions: np.ndarray
    labels: list[Any]
    smoothed_cells: list[Any] = field(default_factory=list)
    empty_cells: list[Any] = field(default_factory=list)
    reference: str = "sampled"
    f2_at_1: float = float("nan")
    name: str | None = None
    pvalue_method: str = "auto"
    n_resamples: int = 2000
    random_state: int | None = 0
    null_counts: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    pseudocount: float = 0.5
    generator: Generator | None = field(default=None, repr=False)
    _mc: tuple[float, float] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def per_bin(self) -> float:
        """Observations of the smaller (effective) sample per used cell, ``min(n1, n2) / K``.

        ``n1 / K`` for a fixed reference. It decides the Monte-Carlo null (below
        ``MC_PER_BIN``, 25) and the :attr:`thin_note` (below ``THIN_PER_BIN``, 5).
        """
        n = self.n1 if self.reference == "fixed" else min(self.n1, self.n2)
        return float(n / max(self.df + 1, 1))

    def _wants_mc(self) -> bool:
        if self.pvalue_method == "chi2" or self.df < 1 or self.null_counts is None:
            return False
        if self.pvalue_method == "monte-carlo":
            return True
        if self.per_bin < MC_PER_BIN:
            return True
        # a cell expecting fewer than one observation of a sample under "no difference"
        P, Q = self.null_counts
        tot = P * (self.n1 / P.sum()) + Q * (self.n2 / Q.sum())
        share = tot / tot.sum()
        n = self.n1 if self.reference == "fixed" else min(self.n1, self.n2)
        return bool(np.min(share) * n < 1.0)

    def _monte_carlo(self) -> tuple[float, float] | None:
        if self._mc is None and self._wants_mc():
            gen = self.generator if self.generator is not None else get_generator(self.kind)
            # TV has no curvature at 1: its test uses the Jeffreys statistic, here as in chi2
            f = gen.f if gen.smooth else DIVERGENCES["jeffreys"].f
            assert self.null_counts is not None
            out = conditional_null(
                self.null_counts[0],
                self.null_counts[1],
                self.n1,
                self.n2,
                f,
                fixed=self.reference == "fixed",
                pseudocount=self.pseudocount,
                n_resamples=self.n_resamples,
                random_state=self.random_state,
            )
            self._mc = out if out is not None else (float("nan"), float("nan"))
        if self._mc is None or np.isnan(self._mc[0]):
            return None
        return self._mc

    @property
    def pvalue(self) -> float:
        """The p-value of H0: p = q, by :attr:`pvalue_method_used`.

        The chi-square p-value (:attr:`chi2_pvalue`), or in a thin table
        (``pvalue_method="auto"``: fewer than 25 observations of the smaller sample per cell,
        or a cell expecting fewer than one) the Monte-Carlo permutation p-value
        ``(1 + #{D* >= D}) / (B + 1)`` over ``B = n_resamples`` tables drawn with the observed
        cell totals and sample sizes (``docs/numbers.md``, "Thin tables"). Computed when first
        read, with the seed ``random_state``.
        """
        mc = self._monte_carlo()
        return self.chi2_pvalue if mc is None else mc[0]

    @property
    def pvalue_method_used(self) -> str:
        """``"chi2"`` or ``"monte-carlo (B=2000)"``: the null law behind :attr:`pvalue`."""
        return "chi2" if self._monte_carlo() is None else f"monte-carlo (B={self.n_resamples})"

    @property
    def thin_note(self) -> str:
        """Why the interval and the bias correction are unreliable here ("" when they are not).

        Below 5 observations of the smaller sample per cell (``THIN_PER_BIN``) the zero-cell
        smoothing and the small-sample bias dominate the estimate: with 40 bads in 20 bins the
        noncentral chi-square interval covers an IV of 1.0 in about 62% of samples and
        ``bias_corrected`` is far below the truth (0.44 for 1.0). There ``ci_method="auto"``
        takes the hull with the Wald interval once ``T >= K - 1``, which is conservative,
        and the note says so, with the counts and the bins they afford at 5 per
        cell and by :func:`infodiv.sample_size.max_affordable_bins` (``docs/numbers.md``,
        "Thin tables"). From 5 up to 15 per cell (``SPARSE_PER_BIN``) a shorter "sparse
        table" note says the interval's measured coverage departs from its level there.
        """
        if self.df < 1 or not self.per_bin < SPARSE_PER_BIN:
            return ""
        n = self.n1 if self.reference == "fixed" else min(self.n1, self.n2)
        cells = self.df + 1
        if self.per_bin >= THIN_PER_BIN:
            return (
                f"sparse table: the smaller sample has {n:.4g} observations in {cells} cells "
                f"({self.per_bin:.2g} per cell); below {SPARSE_PER_BIN:g} per cell the "
                "interval's coverage departs from its level (measured 0.91-0.93 with 10 per "
                "cell in 20 cells, 0.99 with 8 per cell in 5 cells at IV 1); "
                f"{n:.4g} observations afford {max(int(n // SPARSE_PER_BIN), 1)} cells at "
                f"{SPARSE_PER_BIN:g} per cell"
            )
        return (
            f"thin table: the smaller sample has {n:.4g} observations in {cells} cells "
            f"({self.per_bin:.2g} per cell); below {THIN_PER_BIN:g} per cell the zero-cell "
            "smoothing and the small-sample bias dominate the estimate: the interval is the "
            "hull of the noncentral chi-square and Wald intervals once the statistic reaches "
            "its null mean (conservative here: the chi-square one alone misses large values) "
            "and bias_corrected is unreliable; "
            f"{n:.4g} observations afford {max(int(n // THIN_PER_BIN), 1)} cells at "
            f"{THIN_PER_BIN:g} per cell, {affordable_bins(n)} by max_affordable_bins "
            "(epsilon 0.05): merge bins"
        )

    @property
    def bias_corrected(self) -> float:
        """The estimate minus its leading small-sample bias (may be negative near zero)."""
        return self.estimate - self.bias

    @property
    def params(self) -> pd.Series:
        """The estimate as a one-row Series labelled by the result's name (or kind)."""
        return pd.Series({self._label: self.estimate})

    @property
    def bse(self) -> pd.Series:
        """The standard error as a one-row Series on the index of :attr:`params`."""
        return pd.Series({self._label: self.se})

    @property
    def _label(self) -> str:
        return self.name or self.kind

    @property
    def ci_method_used(self) -> str:
        """The interval method that :meth:`conf_int` uses by default.

        One of ``"wald"``, ``"ncx2"`` or ``"ncx2+wald"``: what ``ci_method="auto"`` resolves
        to on this result's statistic (or the ``ci_method`` the result was given).
        """
        return self._method_for(self.ci_method)

    def _method_for(self, method: str) -> str:
        if method not in ("auto", "wald", "ncx2"):
            raise InvalidParameterError(f"method must be 'auto', 'wald' or 'ncx2'; got {method!r}")
        if method == "auto":
            if not np.isfinite(self.f2_at_1):
                return "wald"
            if self.df >= 1 and self.per_bin < THIN_PER_BIN and self.statistic >= self.df:
                # a thin table with a statistic beyond its null mean: the chi-square law
                # misplaces the interval away from zero (it covered an IV of 1.0 in 64% of
                # samples with 40 bads in 20 bins); the hull with the Wald interval is
                # conservative there (thin_note says so). Below K - 1 the estimate is mostly
                # bias and the chi-square interval stays (ci_note explains it)
                return "ncx2+wald"
            # Near zero the delta method degenerates (its gradient vanishes): the noncentral
            # chi-square law alone. Beyond, the hull of both intervals: switching between them
            # on the observed statistic would under-cover where they meet.
            near_zero = self.statistic <= self.df + NEAR_ZERO_SDS * np.sqrt(2.0 * self.df)
            return "ncx2" if near_zero else "ncx2+wald"
        if method == "ncx2" and not np.isfinite(self.f2_at_1):
            raise InvalidParameterError(
                f"method='ncx2' needs a smooth generator (f''(1)); kind {self.kind!r} has none: "
                "use method='wald' or 'auto'"
            )
        return method

    def conf_int(self, alpha: float | None = None, method: str | None = None) -> ConfidenceInterval:
        """Two-sided ``1 - alpha`` confidence interval ``(low, high)`` for the divergence.

        Parameters
        ----------
        alpha : float, optional
            Defaults to the ``alpha`` the result was computed with.
        method : {"auto", "wald", "ncx2"}, optional
            ``"wald"``: ``D +/- z SE`` clipped at 0. ``"ncx2"``: inverts the noncentral
            chi-square law of ``T = 2 n_eff D / f''(1)``. ``"auto"`` (default): ``"ncx2"`` while
            ``T <= (K-1) + 3 sqrt(2 (K-1))`` (not clearly away from zero), else the hull of the
            Wald and ncx2 intervals ("ncx2+wald"), and that hull in a thin table (fewer than 5
            observations of the smaller sample per cell, :attr:`thin_note`) once
            ``T >= K - 1``; TV (not smooth) always uses Wald.

        Returns
        -------
        ConfidenceInterval
            The named pair ``(low, high)`` of floats.
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        m = self._method_for(method or self.ci_method)
        # = stats.norm.isf(a / 2) on the log scale: finite even where a / 2 underflows to 0
        z = -special.ndtri_exp(np.log(a) - np.log(2.0))
        wald = ConfidenceInterval(
            max(0.0, float(self.estimate - z * self.se)), float(self.estimate + z * self.se)
        )
        if m == "wald":
            return wald
        if self.df == 0:
            return ConfidenceInterval(0.0, 0.0)
        lo, hi = ncx2_interval(self.statistic, self.df, a)
        scale = self.f2_at_1 / (2.0 * self.n_eff)
        chi = ConfidenceInterval(lo * scale, hi * scale)
        if m == "ncx2":
            return chi
        return ConfidenceInterval(min(wald.low, chi.low), max(wald.high, chi.high))

    @property
    def ci_note(self) -> str:
        """Why the default interval does not contain the plug-in estimate ("" when it does).

        The noncentral chi-square interval is an interval for the divergence itself, not for
        the plug-in estimate, whose small-sample bias ``f''(1)/2 (K-1)(1/n1 + 1/n2)`` grows
        with the number of cells: with many cells for the sample size the chi-square statistic
        stays near its null mean ``K - 1`` although the plug-in value is large, and the
        interval (rightly) lies below that value. The result says so instead of printing an
        interval that contradicts its estimate without a word (``docs/numbers.md``).
        """
        lo, hi = self.conf_int()
        est = self.estimate
        if not (np.isfinite(lo) and np.isfinite(hi)):
            return (
                f"the interval could not be computed (got [{lo!r}, {hi!r}]) for the estimate "
                f"{est:.5g}, statistic {self.statistic!r} and sizes n1 = {self.n1!r}, "
                f"n2 = {self.n2!r}"
            )
        tol = 1e-9 * max(abs(est), abs(lo), abs(hi)) + 1e-12
        if lo - tol <= est <= hi + tol:
            return ""
        side = "above" if est > hi else "below"
        where = "below" if self.statistic < self.df else "not far above"
        within = "within" if np.isfinite(self.bias) and est <= self.bias else "close to"
        note = (
            f"the plug-in estimate {est:.4g} lies {side} its {self.ci_method_used} interval "
            f"[{lo:.4g}, {hi:.4g}], which is for the divergence itself: the estimate is {within} "
            f"its small-sample bias (about {self.bias:.4g}; bias-corrected "
            f"{self.bias_corrected:.4g}) and the chi-square statistic {self.statistic:.4g} is "
            f"{where} its null mean {self.df}"
        )
        if lo <= 0:
            note += ", so the data are consistent with no difference at all"
        cells = self.df + 1
        if cells > 0.2 * min(self.n1, self.n2):
            note += (
                f"; {cells} cells for effective sizes {self.n1:.4g} and {self.n2:.4g} leave few "
                "rows per cell: fewer, larger bins give an estimate that its interval contains"
            )
        return note

    def log_ratios(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-cell log ratio ``ln(p_j / q_j)`` and its delta-method standard error.

        The WoE of a credit table is this log ratio of the bad (``p``) and good (``q``)
        distributions; every WoE in the package comes from here. The variance treats both
        samples as multinomial with (Kish effective) sizes ``n1``, ``n2``:
        ``Var = 1/(p n1) + 1/(q n2) - 1/n1 - 1/n2``.

        Returns
        -------
        log_ratio : ndarray
            ``ln(p_j / q_j)`` per cell, in the result's cell order (after the zero-cell rule);
            NaN for cells empty in both samples.
        se : ndarray
            Its standard error; NaN where the log ratio is.

        Examples
        --------
        >>> from infodiv.core import divergence
        >>> lr, se = divergence([30, 10, 0], [10, 30, 0]).log_ratios()
        >>> lr.round(4), se.round(3)
        (array([ 1.0986, -1.0986,     nan]), array([0.289, 0.289,   nan]))
        """
        p, q = np.asarray(self.p, dtype=float), np.asarray(self.q, dtype=float)
        # every cell with mass in either sample has both positive after the zero-cell rule
        used = (p > 0) | (q > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(used, np.log(p / q), np.nan)
            var = 1.0 / (p * self.n1) + 1.0 / (q * self.n2) - 1.0 / self.n1 - 1.0 / self.n2
        return ratio, np.where(used, np.sqrt(np.clip(var, 0.0, None)), np.nan)

    @property
    def upper_bound_method(self) -> str:
        """How :meth:`upper_bound` is computed on this result.

        ``"cls-ncx2"`` near zero (the statistic at most ``(K-1) + 3 sqrt(2 (K-1))``: the CLs
        inversion of the noncentral chi-square law alone), ``"cls-ncx2+wald"`` beyond (the
        larger of that and the bias-aware Wald bound), ``"wald"`` for TV (not smooth; the
        Pinsker bound from the Jeffreys statistic where the Wald bound is 0), ``"exact"`` when
        a single cell is used (the divergence is 0).
        """
        if self.df == 0:
            return "exact"
        method = self._method_for("auto")
        return "wald" if method == "wald" else f"cls-{method}"

    def upper_bound(self, alpha: float | None = None) -> float:
        """One-sided ``1 - alpha`` upper confidence bound, aware of the upward bias.

        Near zero it is the CLs bound of the noncentral chi-square law of
        ``T = 2 n_eff D / f''(1)``: the noncentrality ``lam`` solving
        ``F(T; K-1, lam) / F(T; K-1, 0) = alpha``, times ``f''(1) / (2 n_eff)``. Dividing by
        the null probability of so low a statistic keeps the bound positive when ``T`` falls in
        the lower ``alpha`` tail of its null law (where the plain inversion gives 0) and only
        makes it larger, so it covers at least as often. Away from zero it is the larger of
        that and ``max(0, estimate - bias) + z_{1-alpha} SE``. TV (no curvature at 1) uses the
        Wald bound ``estimate + z_{1-alpha} SE``; where the observed distributions coincide
        (estimate and SE 0) it is ``1/2 sqrt(J_U)`` instead, with ``J_U`` the CLs bound of the
        Jeffreys divergence (Pinsker's inequality ``TV <= 1/2 sqrt(J)``). Use it to certify
        that a divergence is small; :attr:`upper_bound_method` names the method
        (``docs/numbers.md``).

        Parameters
        ----------
        alpha : float, optional
            Defaults to the ``alpha`` the result was computed with.

        Returns
        -------
        float
            The bound: positive, except 0 when only one cell is used (the divergence is then
            exactly 0).
        """
        a = self.alpha if alpha is None else check_alpha(alpha)
        if self.df == 0:
            return 0.0
        method = self._method_for("auto")
        lam = _ncx2_cls_root(max(self.statistic, 0.0), self.df, a)
        bias = self.bias if np.isfinite(self.bias) else 0.0
        wald = max(0.0, self.estimate - bias) + float(-special.ndtri_exp(np.log(a))) * self.se
        if method == "wald":
            # TV: Wald, 0 only where the observed distributions coincide (SE 0); there the
            # Pinsker bound 1/2 sqrt(J_U) from the CLs bound of the Jeffreys statistic
            # n_eff J (f''(1) = 2, so J_U = lam / n_eff). Raising a bound never lowers coverage.
            return wald if wald > 0 else 0.5 * float(np.sqrt(lam / self.n_eff))
        ncx2 = lam * self.f2_at_1 / (2.0 * self.n_eff)
        if method == "ncx2":
            return ncx2
        # Beyond zero, the larger of the two bounds: the Wald bound alone under-covers where
        # the SE grows with the divergence (a low estimate comes with a low SE; about 92%
        # instead of 95% at n_eff J near 40, benchmarks/fairness_coverage.py).
        return max(wald, ncx2)

    def summary(self) -> pd.DataFrame:
        """One row: estimate, SE, CI, chi-square test, bias-corrected value and sizes.

        Returns
        -------
        pandas.DataFrame
            Columns ``estimate, se, ci_low, ci_high, statistic, df, pvalue`` (the contract's,
            first), then ``bias_corrected``, ``ci_method`` (:attr:`ci_method_used`),
            ``upper_bound`` (one-sided ``1 - alpha``, :meth:`upper_bound`),
            ``upper_bound_method`` (:attr:`upper_bound_method`), ``pvalue_method``
            (:attr:`pvalue_method_used`), ``n1``, ``n2``, ``thin_note`` in a thin table
            (:attr:`thin_note`) and ``ci_note`` where the interval does not contain the
            estimate (:attr:`ci_note`); indexed by the result's name (or kind).
        """
        out = self._frame(
            pd.Index([self._label], name="divergence"),
            tests=("statistic", "df", "pvalue"),
            bias_corrected=self.bias_corrected,
            ci_method=self.ci_method_used,
            upper_bound=self.upper_bound(),
            upper_bound_method=self.upper_bound_method,
            pvalue_method=self.pvalue_method_used,
            n1=self.n1,
            n2=self.n2,
        )
        if self.thin_note:
            out["thin_note"] = self.thin_note
        return self._with_note(out)

    def _with_note(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with a last column ``ci_note`` when :attr:`ci_note` has something to say."""
        note = self.ci_note
        if note:
            frame["ci_note"] = note
        return frame

    def to_row(self) -> pd.DataFrame:
        """The one-row summary that per-feature tables stack (:func:`infodiv.core.summarize`).

        Returns
        -------
        pandas.DataFrame
            One row: ``estimate, se, ci_low, ci_high, statistic, df, pvalue``, then
            ``ci_method`` (:attr:`ci_method_used`), ``bias_corrected``, ``n_bins`` (cells used,
            ``df + 1``), ``smoothed_cells`` (how many the zero-cell rule changed), ``n1``, ``n2``;
            and ``ci_note`` where the interval does not contain the estimate (:attr:`ci_note`).

        Examples
        --------
        >>> from infodiv.core import divergence
        >>> divergence([30, 50, 20], [20, 50, 30]).to_row().columns.tolist()[:7]
        ['estimate', 'se', 'ci_low', 'ci_high', 'statistic', 'df', 'pvalue']
        """
        out = self._frame(
            pd.Index([self._label], name="divergence"),
            tests=("statistic", "df", "pvalue"),
            ci_method=self.ci_method_used,
            bias_corrected=self.bias_corrected,
            n_bins=self.df + 1,
            smoothed_cells=len(self.smoothed_cells),
            n1=self.n1,
            n2=self.n2,
        )
        return self._with_note(out)

    def __repr__(self) -> str:
        lo, hi = self.conf_int()
        level = round(100 * (1 - self.alpha), 1)
        out = (
            f"DivergenceResult({self._label}: {self.estimate:.5g} (SE {self.se:.3g}), "
            f"{level:g}% CI [{lo:.5g}, {hi:.5g}] by {self.ci_method_used}, "
            f"chi2({self.df}) = {self.statistic:.4g}, p = {self.pvalue:.3g}"
            + ("" if self.pvalue_method_used == "chi2" else f" ({self.pvalue_method_used})")
            + f", n1 = {self.n1:.6g}, n2 = {self.n2:.6g}"
        )
        if self.smoothed_cells:
            out += f", smoothed cells {self.smoothed_cells}"
        if self.thin_note:
            out += f"; {self.thin_note}"
        note = self.ci_note
        if note:
            out += f"; note: {note}"
        return out + ")"


def _kish(total: float, sumsq: float | np.ndarray | None, name: str) -> float:
    if sumsq is None:
        return total
    s2 = float(np.sum(sumsq))
    if not np.isfinite(s2) or s2 <= 0:
        raise InvalidParameterError(
            f"{name} must be a positive, finite sum of squared weights; got {s2!r}"
        )
    # (sum w)^2 / sum w^2 without forming (sum w)^2, which overflows beyond 1e154 (and exact
    # for unit weights: n (n / n) = n)
    return float(total * (total / s2))


#: The parameters of :func:`divergence` and what each may be (checked at the call).
DIVERGENCE_CONSTRAINTS: dict[str, list[Any]] = {
    "p_counts": ["array-like"],
    "q_counts": ["array-like"],
    "kind": [StrOptions(set(DIVERGENCES)), Generator, "callable"],
    "alpha": [Interval(Real, 0, 1, closed="neither")],
    "p_sumsq": [Interval(Real, 0, None, closed="neither"), "array-like", None],
    "q_sumsq": [Interval(Real, 0, None, closed="neither"), "array-like", None],
    "reference": [StrOptions({"sampled", "fixed"})],
    "zero_cells": [StrOptions({"smooth", "raise"})],
    "pseudocount": [Interval(Real, 0, None, closed="neither")],
    "bias": [StrOptions({"null", "second_order"})],
    "ci_method": [StrOptions({"auto", "wald", "ncx2"})],
    "labels": ["array-like", None],
    "name": [str, None],
    "pvalue_method": [StrOptions({"auto", "chi2", "monte-carlo"})],
    "n_resamples": [Interval(Integral, 1, None, closed="left")],
    "random_state": [Interval(Integral, 0, None, closed="left"), None],
}


def check_kind_ci_method(gen: Generator, ci_method: str) -> None:
    """Refuse ``ci_method="ncx2"`` for a generator without ``f''(1)`` (total variation).

    Parameters
    ----------
    gen : Generator
        The resolved ``kind``.
    ci_method : str
        The requested interval method.

    Raises
    ------
    infodiv.exceptions.InvalidParameterError
        Naming both ``kind`` and ``ci_method``.
    """
    if ci_method == "ncx2" and not gen.smooth:
        raise InvalidParameterError(
            f"kind={gen.name!r} and ci_method='ncx2' do not go together: the noncentral "
            f"chi-square interval needs f''(1), which {gen.name!r} lacks; use "
            "ci_method='wald' or 'auto' (Wald for this kind)"
        )


def divergence(
    p_counts: Sequence[float] | np.ndarray,
    q_counts: Sequence[float] | np.ndarray,
    kind: str | Generator | Callable[[np.ndarray], np.ndarray] = "jeffreys",
    alpha: float = 0.05,
    *,
    p_sumsq: float | np.ndarray | None = None,
    q_sumsq: float | np.ndarray | None = None,
    reference: Literal["sampled", "fixed"] = "sampled",
    zero_cells: Literal["smooth", "raise"] = "smooth",
    pseudocount: float = 0.5,
    bias: Literal["null", "second_order"] = "null",
    ci_method: CIMethod = "auto",
    labels: Sequence[Any] | None = None,
    name: str | None = None,
    pvalue_method: PValueMethod = "auto",
    n_resamples: int = 2000,
    random_state: int | None = 0,
) -> DivergenceResult:
    """Estimate ``D_f(p || q)`` from two count vectors, with SE, bias, test and interval.

    Parameters
    ----------
    p_counts, q_counts : array-like of shape (K,)
        Counts (or weighted sums) of the two samples over the same K cells. Two pandas Series
        are matched by index label (same labels in any order; ``q_counts`` is reordered to
        ``p_counts``; different label sets raise, missing labels are never filled with 0);
        arrays and lists by position.
    kind : str, Generator or callable, default "jeffreys"
        ``"kl"`` (sum p ln p/q), ``"reverse_kl"``, ``"jeffreys"`` (sum (p-q) ln p/q),
        ``"js"``, ``"hellinger"`` (squared, with the 1/2), ``"tv"``, ``"chi2"`` (Pearson,
        sum (p-q)^2/q), or any convex ``f`` with ``f(1) = 0`` (derivatives numerical).
    alpha : float, default 0.05
        Level of the interval reported by ``summary()`` and ``conf_int()``.
    p_sumsq, q_sumsq : float or array, optional
        Sums of squared weights of each sample (per cell or total). When given the variance and
        the test use Kish's effective sizes ``(sum w)^2 / sum w^2``.
    reference : {"sampled", "fixed"}
        ``"fixed"`` treats ``q`` as a known distribution: only ``p`` is random, the test uses
        ``n = n1`` and the ``q`` term of the variance is dropped.
    zero_cells : {"smooth", "raise"}
        ``"smooth"`` adds ``pseudocount`` observations to both samples in every cell empty in
        one sample only, warning with the cell labels; ``"raise"`` raises instead.
    pseudocount : float, default 0.5
        Added per affected cell, in units of one (effective) observation of each sample.
    bias : {"null", "second_order"}
        ``"null"``: ``f''(1)/2 (K-1)(1/n1 + 1/n2)``, exact to first order near p = q.
        ``"second_order"``: the full plug-in term
        ``sum r f''(r)(1-p) / (2 n1) + sum r^2 f''(r)(1-q) / (2 n2)``.
    ci_method : {"auto", "wald", "ncx2"}
        Default interval method; see :meth:`DivergenceResult.conf_int`.
    labels : sequence, optional
        Cell labels used in warnings and results.
    name : str, optional
        Name of the quantity (e.g. ``"IV"``) shown in results.
    pvalue_method : {"auto", "chi2", "monte-carlo"}, default "auto"
        Null law of the test of ``p = q``. ``"chi2"``: ``T ~ chi2(K - 1)``. ``"monte-carlo"``:
        a permutation p-value from ``n_resamples`` tables drawn with the observed cell totals
        and sample sizes (a fixed reference: multinomial draws from it), the statistic
        recomputed with the same zero-cell rule. ``"auto"``: Monte-Carlo in thin tables (fewer
        than 25 observations of the smaller sample per cell, or a cell expecting fewer than
        one), where the chi-square law rejects 0.2% to 11% at 5%; chi-square otherwise.
        Computed when :attr:`DivergenceResult.pvalue` is first read.
    n_resamples : int, default 2000
        Tables drawn by the Monte-Carlo null.
    random_state : int or None, default 0
        Seed of the Monte-Carlo null (fixed by default: results are reproducible).

    Returns
    -------
    DivergenceResult
        The estimate with its standard error, bias, chi-square test of ``p = q`` and
        interval (:meth:`DivergenceResult.conf_int`).

    Examples
    --------
    >>> from infodiv import divergence
    >>> res = divergence([30, 50, 20], [20, 50, 30], kind="jeffreys")
    >>> round(res.estimate, 4)
    0.0811
    >>> res.conf_int()[0] < res.estimate < res.conf_int()[1]
    True
    """
    validate_params(
        {
            "p_counts": p_counts,
            "q_counts": q_counts,
            "kind": kind,
            "alpha": alpha,
            "p_sumsq": p_sumsq,
            "q_sumsq": q_sumsq,
            "reference": reference,
            "zero_cells": zero_cells,
            "pseudocount": pseudocount,
            "bias": bias,
            "ci_method": ci_method,
            "labels": labels,
            "name": name,
            "pvalue_method": pvalue_method,
            "n_resamples": n_resamples,
            "random_state": random_state,
        },
        DIVERGENCE_CONSTRAINTS,
        caller="divergence",
    )
    gen = get_generator(kind)
    check_kind_ci_method(gen, ci_method)
    alpha = check_alpha(alpha)
    named = align_inputs(
        {"p_counts": p_counts, "q_counts": q_counts, "p_sumsq": p_sumsq, "q_sumsq": q_sumsq},
        what="cells",
    )
    p_counts, q_counts = named["p_counts"], named["q_counts"]
    p_sumsq, q_sumsq = named["p_sumsq"], named["q_sumsq"]
    P = check_counts(p_counts, "p_counts")
    Q = check_counts(q_counts, "q_counts")
    if P.shape != Q.shape:
        raise InvalidParameterError(
            f"length mismatch: p_counts has {P.size} cells, q_counts has {Q.size}"
        )
    if not np.isfinite(pseudocount):
        raise InvalidParameterError(f"pseudocount must be positive and finite; got {pseudocount!r}")
    labs = list(range(P.size)) if labels is None else list(labels)
    if len(labs) != P.size:
        raise InvalidParameterError(
            f"length mismatch: labels has {len(labs)} entries, counts have {P.size}"
        )

    n1 = _kish(P.sum(), p_sumsq, "p_sumsq")
    n2 = _kish(Q.sum(), q_sumsq, "q_sumsq")

    empty = (P == 0) & (Q == 0)
    keep = ~empty
    # With a single non-empty cell both distributions are that cell: D = 0 exactly, SE 0,
    # df 0, p-value 1 and the interval [0, 0] (no information on any difference).
    one_zero = keep & ((P == 0) | (Q == 0))
    smoothed = [labs[j] for j in np.flatnonzero(one_zero)]
    Pk, Qk = P.copy(), Q.copy()
    if smoothed:
        if zero_cells == "raise":
            raise InvalidParameterError(
                f"cells {smoothed} are empty in one sample only; the divergence is undefined "
                "there (use zero_cells='smooth' or merge the bins)"
            )
        # One effective observation weighs sum(w)/n_eff in each sample.
        Pk[one_zero] += pseudocount * P.sum() / n1
        Qk[one_zero] += pseudocount * Q.sum() / n2
        who = f"{name}: " if name else ""
        rule = (
            f"added {pseudocount:g} observation to both samples in those cells only "
            "(zero_cells='smooth')"
        )
        warn_feature(
            f"{who}cells {smoothed} are empty in one sample; {rule}",
            ZeroCellWarning,
            feature=str(name or "divergence"),
            head=f"cells empty in one sample were smoothed: {rule}",
            detail=f"{who}{smoothed[:5]}"
            + (f" and {len(smoothed) - 5} more cells" if len(smoothed) > 5 else ""),
            stacklevel=2,
        )

    p = np.where(keep, Pk / Pk.sum(), 0.0)
    q = np.where(keep, Qk / Qk.sum(), 0.0)
    pk, qk = p[keep], q[keep]
    r = pk / qk
    # a share of 1e-300 in one sample: f'(r) ~ 1/r overflows to inf, and the SE below is inf
    with np.errstate(over="ignore"):
        fr, dfr = gen.f(r), gen.df(r)
    contrib = np.full(P.size, np.nan)
    contrib[keep] = qk * fr
    est = float(contrib[keep].sum())
    if not np.isfinite(est):
        raise InvalidParameterError(
            f"kind {gen.name!r} is not finite on these counts (estimate {est!r})"
        )

    gp = dfr
    gq = fr - r * dfr
    # sum p g^2 as sum (sqrt(p) g)^2: a cell of negligible but positive share in one sample
    # (weights spanning 1e-300 to 1e4) has g ~ 1/p, whose square overflows although p g^2 ~ 1/p
    # does not; beyond float64 even so, the SE is inf (the interval's note says so)
    with np.errstate(over="ignore", invalid="ignore"):
        var_p = float(np.sum((np.sqrt(pk) * gp) ** 2) - np.sum(pk * gp) ** 2)
        var_q = float(np.sum((np.sqrt(qk) * gq) ** 2) - np.sum(qk * gq) ** 2)
    var_p = np.inf if np.isnan(var_p) else var_p
    var_q = np.inf if np.isnan(var_q) else var_q
    var = max(var_p, 0.0) / n1
    if reference == "sampled":
        var += max(var_q, 0.0) / n2
    se = float(np.sqrt(var))

    K = int(keep.sum())
    dof = K - 1
    # n1 (n2 / (n1 + n2)): n1 n2 overflows for sizes beyond 1e154
    n_eff = n1 * (n2 / (n1 + n2)) if reference == "sampled" else n1
    inv_n = (1.0 / n1 + 1.0 / n2) if reference == "sampled" else 1.0 / n1
    f2 = gen.f2_at_1
    if gen.smooth:
        stat = 2.0 * n_eff * est / f2
        if bias == "null":
            b = 0.5 * f2 * dof * inv_n
        else:
            d2f = gen.d2f
            assert d2f is not None  # gen.smooth
            with np.errstate(over="ignore", invalid="ignore"):
                d2 = d2f(r)
                b = float(np.sum(r * d2 * (1 - pk))) / (2 * n1)
                if reference == "sampled":
                    b += float(np.sum(r**2 * d2 * (1 - qk))) / (2 * n2)
    else:
        # TV has no curvature at 1: test p = q with the Jeffreys statistic (Pearson-like).
        jr = DIVERGENCES["jeffreys"]
        stat = n_eff * float(np.sum(qk * jr.f(r)))
        b = float("nan")
    # special.chdtrc is stats.chi2.sf (same values) without its per-call overhead; chi2.sf
    # is 1 below 0, where chdtrc gives NaN (a statistic of -1e-16 from rounding)
    pvalue = float(special.chdtrc(dof, max(stat, 0.0))) if dof > 0 else 1.0

    return DivergenceResult(
        kind=gen.name,
        estimate=est,
        se=se,
        bias=float(b),
        statistic=float(stat),
        df=dof,
        chi2_pvalue=pvalue,
        n1=float(n1),
        n2=float(n2),
        n_eff=float(n_eff),
        alpha=alpha,
        ci_method=ci_method,
        p=p,
        q=q,
        contributions=contrib,
        labels=labs,
        smoothed_cells=smoothed,
        empty_cells=[labs[j] for j in np.flatnonzero(empty)],
        reference=reference,
        f2_at_1=f2,
        name=name,
        pvalue_method=pvalue_method,
        n_resamples=int(n_resamples),
        random_state=None if random_state is None else int(random_state),
        null_counts=(P[keep].astype(float), Q[keep].astype(float)),
        pseudocount=float(pseudocount),
        generator=gen,
    )
