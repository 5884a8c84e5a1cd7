"""Issue 14 parts 5-7 and 9 (core): parameters refused at the call, honest intervals,
count tables of mixed key types, huge totals and extreme weights.

Every expected value comes from an independent computation (closed forms, numpy by hand,
scipy's own distributions), never from the code under test.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from infodiv.core import (
    CountTable,
    FeatureBins,
    Generator,
    divergence,
    frame_bins,
    infer_bins,
    quantile_edges,
)
from infodiv.core._divergence import _ncx2_cdf_edgeworth
from infodiv.exceptions import InfodivWarning, InvalidParameterError

P = np.array([30.0, 50.0, 20.0])
Q = np.array([20.0, 50.0, 30.0])


# ---------------------------------------------------------------- custom generators
def test_non_convex_callable_is_refused():
    """f(t) = -(t ln t) has f(1) = 0 but is concave: sum q f(p/q) would be -KL < 0."""

    def concave(t):
        return -t * np.log(t)

    p, q = P / P.sum(), Q / Q.sum()
    assert np.sum(q * concave(p / q)) < 0  # what would have been reported
    with pytest.raises(InvalidParameterError, match="kind: .*not convex"):
        divergence(P, Q, kind=concave)


def test_non_convex_generator_and_bad_f1_are_refused():
    wavy = Generator("wavy", lambda t: np.sin(t - 1.0), lambda t: np.cos(t - 1.0))
    with pytest.raises(InvalidParameterError, match="not convex"):
        divergence(P, Q, kind=wavy)
    with pytest.raises(InvalidParameterError, match=r"f\(1\) = 0"):
        divergence(P, Q, kind=lambda t: (t - 1.0) ** 2 + 1.0)
    with pytest.raises(InvalidParameterError, match="kind"):
        divergence(P, Q, kind=lambda t: 1.0)  # not vectorised


def test_convex_callable_is_accepted_and_exact():
    p, q = P / P.sum(), Q / Q.sum()
    res = divergence(P, Q, kind=lambda t: t * np.log(t))
    assert res.estimate == pytest.approx(np.sum(p * np.log(p / q)), rel=1e-12)


def test_tv_with_ncx2_is_refused_naming_both():
    with pytest.raises(InvalidParameterError, match="kind='tv' and ci_method='ncx2'"):
        divergence(P, Q, kind="tv", ci_method="ncx2")
    X = pd.DataFrame({"x": np.arange(8.0)})
    t = CountTable.from_frame(X, {"x": FeatureBins("x", edges=(4.0,))}, {"class": [0, 1] * 4})
    with pytest.raises(InvalidParameterError, match="ci_method"):
        t.divergence("x", "class", 1, 0, "tv", ci_method="ncx2")
    repr(divergence(P, Q, kind="tv"))  # the accepted combination prints


@pytest.mark.parametrize(
    "kwargs,name",
    [
        ({"alpha": True}, "alpha"),
        ({"alpha": 0.0}, "alpha"),
        ({"alpha": "0.05"}, "alpha"),
        ({"kind": "KL"}, "kind"),
        ({"ci_method": "exact"}, "ci_method"),
        ({"bias": None}, "bias"),
        ({"zero_cells": "drop"}, "zero_cells"),
        ({"pseudocount": True}, "pseudocount"),
        ({"pseudocount": -0.5}, "pseudocount"),
        ({"p_sumsq": "100"}, "p_sumsq"),
        ({"name": 3}, "name"),
        ({"labels": "abc"}, "labels"),
    ],
)
def test_divergence_parameters_are_checked(kwargs, name):
    with pytest.raises(InvalidParameterError, match=f"'{name}'"):
        divergence(P, Q, **kwargs)


def test_count_table_divergence_parameters_are_checked():
    X = pd.DataFrame({"x": np.arange(8.0)})
    t = CountTable.from_frame(X, {"x": FeatureBins("x", edges=(4.0,))}, {"class": [0, 1] * 4})
    with pytest.raises(InvalidParameterError, match="'weights'"):
        t.divergence("x", "class", 1, 0, weights="kish")
    with pytest.raises(InvalidParameterError, match="'alpha'"):
        t.divergence_summary("class", 1, 0, alpha=1)
    with pytest.raises(InvalidParameterError, match="'kind'"):
        t.divergence("x", "class", 1, 0, kind=5)


# ---------------------------------------------------------------- bins read the right way
def test_bins_as_a_string_or_a_bool_is_refused():
    x = np.arange(20.0)
    for bad in ("5", True, False, 2.5, 0, ["a", "b"], [True, 3.0]):
        with pytest.raises(InvalidParameterError, match="bins"):
            infer_bins(x, bad, "x")
    with pytest.raises(InvalidParameterError, match="n_bins"):
        quantile_edges(x, True)


def test_bins_values_is_one_bin_per_distinct_value():
    x = np.array([3.0, 1.0, 2.0, 3.0, 1.0])
    fb = infer_bins(x, "values", "x")
    assert fb.categories == ((1.0,), (2.0,), (3.0,))
    assert infer_bins(x, None, "x") == fb  # None: documented as the same


def test_unknown_keys_in_bins_and_special_values_are_refused():
    X = pd.DataFrame({"age": np.arange(20.0), "income": np.arange(20.0)})
    with pytest.raises(InvalidParameterError, match=r"'agee'.*'age', 'income'"):
        frame_bins(X, {"agee": 4}, None, None)
    with pytest.raises(InvalidParameterError, match=r"special_values names 'incme'.*'income'"):
        frame_bins(X, 4, None, {"incme": [-1]})
    with pytest.raises(InvalidParameterError, match=r"bins\['age'\]"):
        frame_bins(X, {"age": "4"}, None, None)
    out = frame_bins(X, {"age": 4}, None, None)  # a known key works; others get 10
    assert out["age"].n_regular == 4 and out["income"].n_regular == 10


# ---------------------------------------------------------------- intervals and their estimate
def _many_cells(n_cells=200, seed=0):
    """One row per cell: each cell holds one bad or one good (bins=None on a continuous x)."""
    rng = np.random.default_rng(seed)
    bad = rng.random(n_cells) < 0.5
    return bad.astype(float), (~bad).astype(float)


def test_interval_below_its_estimate_carries_a_note():
    Pc, Qc = _many_cells()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = divergence(Pc, Qc)
    lo, hi = res.conf_int()
    # by hand: the leading bias f''(1)/2 (K-1)(1/n1 + 1/n2) of Jeffreys exceeds the estimate
    n1, n2 = Pc.sum(), Qc.sum()
    assert (len(Pc) - 1) * (1 / n1 + 1 / n2) > res.estimate
    assert hi < res.estimate  # the interval (for D itself) lies below the plug-in value
    assert "lies above" in res.ci_note and "bias" in res.ci_note
    assert "note:" in repr(res)
    assert res.summary()["ci_note"].iloc[0] == res.ci_note
    assert res.to_row()["ci_note"].iloc[0] == res.ci_note


def test_every_interval_contains_its_estimate_or_says_why():
    rng = np.random.default_rng(1)
    for _ in range(200):
        K = int(rng.integers(2, 40))
        n = int(rng.integers(K, 20 * K))
        Pc = rng.multinomial(n, np.full(K, 1 / K)).astype(float)
        Qc = rng.multinomial(n, rng.dirichlet(np.ones(K))).astype(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = divergence(Pc, Qc)
        lo, hi = res.conf_int()
        inside = lo - 1e-12 <= res.estimate <= hi + 1e-12
        assert inside == (res.ci_note == ""), (Pc, Qc)
        assert ("ci_note" in res.summary().columns) == (not inside)


# ---------------------------------------------------------------- huge totals, extreme weights
def test_edgeworth_ncx2_matches_scipy_where_scipy_is_exact():
    for lam in (1e8, 1e9, 5e9):
        for z in (-2.0, 0.0, 1.0, 2.5):
            x = 4 + lam + z * np.sqrt(2 * (4 + 2 * lam))
            assert _ncx2_cdf_edgeworth(x, 4, lam) == pytest.approx(
                stats.ncx2.cdf(x, 4, lam), abs=1e-9
            )


def test_counts_times_1e10_with_the_same_kish_size_give_identical_results():
    """Sampling weights: counts c and 1e10 c with sum w^2 scaled by 1e20 (same Kish size)."""
    base = divergence(P, Q, p_sumsq=P.sum(), q_sumsq=Q.sum())
    big = divergence(1e10 * P, 1e10 * Q, p_sumsq=1e20 * P.sum(), q_sumsq=1e20 * Q.sum())
    for a, b in ((base, big),):
        assert b.estimate == pytest.approx(a.estimate, rel=1e-9)
        assert b.se == pytest.approx(a.se, rel=1e-9)
        assert b.pvalue == pytest.approx(a.pvalue, rel=1e-9)
        assert tuple(b.conf_int()) == pytest.approx(tuple(a.conf_int()), rel=1e-9)
        assert b.n1 == pytest.approx(P.sum(), rel=1e-12)  # Kish size by hand


def test_huge_frequency_totals_give_finite_shrinking_intervals():
    p, q = P / P.sum(), Q / Q.sum()
    truth = float(np.sum((p - q) * np.log(p / q)))
    widths = {}
    for total in (1e8, 1e10, 1e12, 1e14):
        res = divergence(p * total, q * total)
        lo, hi = res.conf_int()
        assert np.isfinite([lo, hi, res.upper_bound()]).all()
        assert lo <= truth <= hi
        widths[total] = hi - lo
    # away from zero the width is 2 z SE with SE proportional to 1/sqrt(n): x100 n, /10 width
    for a, b in ((1e8, 1e10), (1e10, 1e12), (1e12, 1e14)):
        assert widths[b] / widths[a] == pytest.approx(0.1, rel=1e-3)


@pytest.mark.parametrize("scale", [1e200, 1e-200, 1e160])
def test_extreme_weights_give_the_unit_weight_results(scale):
    rng = np.random.default_rng(3)
    n = 3000
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    w = rng.uniform(0.5, 2.0, n)
    bins = {"x": FeatureBins("x", edges=(-1.0, 0.0, 1.0))}
    ref = CountTable.from_frame(pd.DataFrame({"x": x}), bins, {"class": y}, w)
    with pytest.warns(InfodivWarning, match="sample_weight"):
        big = CountTable.from_frame(pd.DataFrame({"x": x}), bins, {"class": y}, w * scale)
    a = ref.divergence("x", "class", 1, 0)
    b = big.divergence("x", "class", 1, 0)
    # Kish size of the bads by hand, unchanged by the scale
    wb = w[y == 1]
    assert b.n1 == pytest.approx(wb.sum() ** 2 / (wb**2).sum(), rel=1e-12)
    assert b.estimate == pytest.approx(a.estimate, rel=1e-9)
    assert b.se == pytest.approx(a.se, rel=1e-9)
    assert tuple(b.conf_int()) == pytest.approx(tuple(a.conf_int()), rel=1e-9)


# ---------------------------------------------------------------- mixed key types
def _table(classes, feature="x"):
    X = pd.DataFrame({feature: np.arange(8.0)})
    return CountTable.from_frame(
        X, {feature: FeatureBins(feature, edges=(4.0,))}, {"class": classes}
    )


def test_adding_tables_with_str_and_int_class_keys_is_refused():
    a = _table([0, 1, 0, 1, 0, 1, 1, 0])
    b = _table(["0", "1", "0", "1", "0", "1", "1", "0"])
    with pytest.raises(InvalidParameterError, match=r"key 'class' differ in type: int 0, 1 vs str"):
        a + b
    with pytest.raises(InvalidParameterError, match="class"):
        CountTable.stack({"e": a, "a": b}, where={"e": {"class": 1}, "a": {"class": 1}})


def test_same_type_tables_still_merge_to_the_whole():
    y1, y2 = [0, 1, 0, 1, 0, 1, 1, 0], [1, 1, 0, 0, 1, 0, 1, 0]
    merged = _table(y1) + _table(np.array(y2, dtype=np.int64))
    X = pd.DataFrame({"x": np.r_[np.arange(8.0), np.arange(8.0)]})
    whole = CountTable.from_frame(X, {"x": FeatureBins("x", edges=(4.0,))}, {"class": y1 + y2})
    assert merged == whole
    assert merged.key_values("class") == [0, 1]


def test_where_value_of_another_type_is_refused():
    t = _table([0, 1, 0, 1, 0, 1, 1, 0])
    with pytest.raises(InvalidParameterError, match=r"'1' \(str\) is not a value of key 'class'"):
        t.divergence("x", "class", "1", "0")
    assert t.vector("x", "n", **{"class": 5}).sum() == 0  # same type, absent: zeros as before


def test_feature_names_of_different_types_are_refused():
    X = pd.DataFrame({0: np.arange(8.0)})
    a = CountTable.from_frame(X, {0: FeatureBins("0", edges=(4.0,))}, {"class": [0, 1] * 4})
    b = _table([0, 1] * 4, feature="0")
    with pytest.raises(InvalidParameterError, match="feature names differ in type"):
        a + b


def test_stack_names_and_regroup_values_of_mixed_types_are_refused():
    t = _table([0, 1, 0, 1, 0, 1, 1, 0])
    with pytest.raises(InvalidParameterError, match="different types"):
        CountTable.stack({0: t, "1": t})
    g = CountTable.from_frame(
        pd.DataFrame({"x": np.arange(6.0)}),
        {"x": FeatureBins("x", edges=(3.0,))},
        {"group": [1, 2, 3, 1, 2, 3]},
    )
    with pytest.raises(InvalidParameterError, match="mix value types"):
        g.regroup("group", {2: "rest"})
    assert g.regroup("group", {3: 2}).key_values("group") == [1, 2]


def test_count_table_money_weights_scale_free_and_frequency_totals_finite():
    rng = np.random.default_rng(4)
    n = 5000
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    bins = {"x": FeatureBins("x", edges=(-1.0, 0.0, 1.0))}
    X = pd.DataFrame({"x": x})
    plain = CountTable.from_frame(X, bins, {"class": y}).divergence("x", "class", 1, 0)
    money = CountTable.from_frame(X, bins, {"class": y}, np.full(n, 1e10))
    a = money.divergence("x", "class", 1, 0)  # sampling weights: Kish size = rows
    assert a.n1 == pytest.approx(float((y == 1).sum()), rel=1e-12)
    for attr in ("estimate", "se", "pvalue"):
        assert getattr(a, attr) == pytest.approx(getattr(plain, attr), rel=1e-9)
    assert tuple(a.conf_int()) == pytest.approx(tuple(plain.conf_int()), rel=1e-9)
    # the same money as frequency weights: 1e10 "rows" per row, a total of 5e13
    f = money.divergence("x", "class", 1, 0, weights="frequency")
    lo, hi = f.conf_int()
    assert np.isfinite([lo, hi]).all() and lo <= f.estimate <= hi
    # SE ~ 1/sqrt(n): 1e10 times the rows, 1e5 times smaller
    assert f.se == pytest.approx(plain.se / 1e5, rel=1e-6)


def test_se_of_a_cell_with_negligible_share_is_finite_and_matches_extended_precision():
    # issue 14 (numbers that overflow): a share of 1e-300 in one sample made p * g**2 overflow
    # although the product itself is ~1/p; the delta-method SE is astronomically large but
    # finite, and equals the same formula evaluated in extended precision
    p_counts = np.array([1e-300, 40.0, 60.0])
    q_counts = np.array([30.0, 30.0, 40.0])
    r = divergence(p_counts, q_counts, kind="jeffreys")
    ld = np.longdouble
    if np.finfo(ld).max < ld(10) ** 400:  # no extended precision on this platform
        pytest.skip("numpy.longdouble is float64 here")
    p = p_counts.astype(ld) / p_counts.astype(ld).sum()
    q = q_counts.astype(ld) / q_counts.astype(ld).sum()
    t = p / q
    gp = np.log(t) + 1 - 1 / t  # d/dp of q f(p/q), f(t) = (t - 1) ln t
    gq = -np.log(t) - t + 1  # d/dq
    var = (np.sum(p * gp**2) - np.sum(p * gp) ** 2) / ld(r.n1) + (
        np.sum(q * gq**2) - np.sum(q * gq) ** 2
    ) / ld(r.n2)
    assert np.isfinite(r.se) and r.se > 1e140
    assert r.se == pytest.approx(float(np.sqrt(var)), rel=1e-9)
    lo, hi = r.conf_int()
    assert lo <= r.estimate <= hi


def test_weights_whose_squares_vanish_next_to_the_largest_are_refused_naming_sample_weight():
    codes = {"x": np.array([0, 1, 0, 1])}
    with pytest.raises(InvalidParameterError, match="sample_weight spans"):
        CountTable.from_codes(
            codes, {"x": ["a", "b"]}, {"class": [0, 0, 1, 1]}, np.array([1e-300, 5e5, 1e-300, 7e5])
        )
