"""WoE, IV and PSI: identities, hand-computed tables, SE coverage and bad input."""

import warnings

import numpy as np
import pandas as pd
import pytest

from infodiv import (
    CountTable,
    FeatureBins,
    divergence,
    iv_summary,
    psi,
    psi_summary,
    woe_table,
    woe_tables,
)


@pytest.fixture
def credit_like():
    rng = np.random.default_rng(0)
    n = 3000
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(1.5 - x))).astype(int)
    return x, y


def test_woe_table_by_hand():
    x = np.array(["a"] * 50 + ["b"] * 30 + ["c"] * 20)
    y = np.array([1] * 10 + [0] * 40 + [1] * 15 + [0] * 15 + [1] * 5 + [0] * 15)
    t = woe_table(x, y, bins="values")  # text: each value a bin, asked explicitly
    bads, goods = np.array([10, 15, 5]), np.array([40, 15, 15])
    b, g = bads / 30, goods / 70
    tab = t.table.set_index("bin")
    np.testing.assert_allclose(tab.loc[["a", "b", "c"], "woe"], np.log(b / g))
    se = np.sqrt(1 / bads + 1 / goods - 1 / 30 - 1 / 70)
    np.testing.assert_allclose(tab.loc[["a", "b", "c"], "woe_se"], se)
    np.testing.assert_allclose(tab.loc[["a", "b", "c"], "event_rate"], bads / (bads + goods))
    assert t.iv.estimate == pytest.approx(np.sum((b - g) * np.log(b / g)))
    assert tab.loc["total", "iv_contribution"] == pytest.approx(t.iv.estimate)
    assert tab.loc["total", "count"] == 100
    flipped = woe_table(x, y, bins="values", woe_sign="good/bad")
    np.testing.assert_allclose(flipped.woe.loc[["a", "b", "c"]], -np.log(b / g))
    assert flipped.iv.estimate == pytest.approx(t.iv.estimate)


def test_iv_equals_psi_equals_divergence(credit_like):
    """IV(x, y) == PSI(goods, bads) == divergence(bads, goods, 'jeffreys'), SEs included."""
    x, y = credit_like
    fb = FeatureBins("x", edges=(-1.0, -0.3, 0.2, 0.8, 1.5))
    iv = woe_table(x, y, bins=fb).iv
    ps = psi(x[y == 0], x[y == 1], bins=fb).divergence
    codes = fb.codes(x)
    bads = np.bincount(codes[y == 1], minlength=fb.n_bins)
    goods = np.bincount(codes[y == 0], minlength=fb.n_bins)
    direct = divergence(bads, goods, "jeffreys")
    for a, b in ((iv, ps), (iv, direct)):
        assert a.estimate == pytest.approx(b.estimate, rel=1e-12)
        assert a.se == pytest.approx(b.se, rel=1e-12)
        assert a.pvalue == pytest.approx(b.pvalue, rel=1e-10)
        assert a.conf_int() == pytest.approx(b.conf_int(), rel=1e-10)


def test_missing_values_get_their_own_bin(credit_like):
    x, y = credit_like
    x = x.copy()
    x[:200] = np.nan
    t = woe_table(x, y, bins=5)
    tab = t.table.set_index("bin")
    assert tab.loc["missing", "count"] == 200
    assert np.isfinite(tab.loc["missing", "woe"])
    assert tab.loc["total", "count"] == len(x)  # no row lost


def test_special_values_bin():
    rng = np.random.default_rng(2)
    x = rng.normal(size=1000)
    x[:50] = -1.0
    y = rng.integers(0, 2, 1000)
    t = woe_table(x, y, bins=(0.0,), special_values=[-1.0])
    tab = t.table.set_index("bin")
    assert tab.loc["special: -1.0", "count"] == 50
    assert tab["count"].iloc[:-1].sum() == 1000


def test_woe_se_coverage_by_simulation():
    rng = np.random.default_rng(7)
    pb = np.array([0.1, 0.3, 0.6])
    pg = np.array([0.3, 0.4, 0.3])
    truth = np.log(pb / pg)
    hits = np.zeros(3)
    reps = 400
    for _ in range(reps):
        xb = rng.choice(3, size=300, p=pb)
        xg = rng.choice(3, size=900, p=pg)
        t = woe_table(np.r_[xb, xg], np.r_[np.ones(300), np.zeros(900)].astype(int))
        ci = t.conf_int()  # the empty missing bin (the 4th) has no WoE
        hits += (ci.low.iloc[:3].to_numpy() <= truth) & (truth <= ci.high.iloc[:3].to_numpy())
    assert np.all((hits / reps >= 0.92) & (hits / reps <= 0.98)), hits / reps


def test_weighted_woe_table_uses_kish():
    x = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    y = np.array([1, 0, 1, 0, 0, 0, 1, 1])
    w = np.full(8, 3.0)
    a = woe_table(x, y)
    b = woe_table(x, y, sample_weight=w)
    assert b.iv.estimate == pytest.approx(a.iv.estimate)
    assert b.iv.se == pytest.approx(a.iv.se)  # constant weights: Kish n = rows
    assert b.table["goods"].iloc[-1] == 3 * a.table["goods"].iloc[-1]


def test_iv_summary_sorted_and_complete():
    rng = np.random.default_rng(3)
    n = 2000
    X = pd.DataFrame(
        {
            "strong": rng.normal(size=n),
            "noise": rng.normal(size=n),
            "cat": pd.Categorical(rng.choice(["u", "v", "w"], size=n)),
        }
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-2 * X["strong"]))).astype(int)
    out = iv_summary(X, y, bins=8)
    assert list(out.index)[0] == "strong"
    assert out["iv"].is_monotonic_decreasing
    assert {"iv", "se", "ci_low", "ci_high", "pvalue"} <= set(out.columns)
    assert out.loc["noise", "pvalue"] > 0.001
    one = woe_table(X["cat"], y)
    assert out.loc["cat", "iv"] == pytest.approx(one.iv.estimate)
    tables = woe_tables(X, y, bins=8)
    assert tables["strong"].iv.estimate == pytest.approx(out.loc["strong", "iv"])


def test_psi_traffic_light_and_drift():
    rng = np.random.default_rng(4)
    base = rng.normal(size=20000)
    same = psi(base, rng.normal(size=20000))
    assert same.traffic_light == "green" and not same.drift
    shifted = psi(base, rng.normal(1.0, 1.0, size=20000))
    assert shifted.traffic_light == "red" and shifted.drift
    lo, hi = shifted.conf_int()
    assert lo < shifted.estimate < hi
    assert shifted.table["expected_share"].sum() == pytest.approx(1.0)
    assert "PSI" in repr(shifted) and "<table" in shifted._repr_html_()


def test_psi_upper_bound_is_positive_where_the_shares_coincide():
    # identical shares: the chi-square statistic is 0 and the bound is the CLs limit
    # lam_U = -2 ln(alpha) (F(T; df, lam) / F(T; df, 0) -> exp(-lam / 2)), PSI = lam_U / n_eff
    expected = np.repeat([0, 1, 2], [100, 200, 300])
    actual = np.repeat([0, 1, 2], [10, 20, 30])
    r = psi(expected, actual, bins="values", pvalue_method="chi2")
    assert r.estimate == pytest.approx(0.0, abs=1e-15)
    n_eff = 600 * 60 / 660
    assert r.upper_bound(0.05) == pytest.approx(-2 * np.log(0.05) / n_eff, rel=1e-9)
    assert r.upper_bound() == r.divergence.upper_bound(0.05)
    assert r.divergence.upper_bound_method == "cls-ncx2"


def test_psi_fixed_reference_has_smaller_se():
    rng = np.random.default_rng(5)
    e, a = rng.normal(size=5000), rng.normal(0.2, 1, size=5000)
    assert psi(e, a, reference="fixed").se < psi(e, a).se


def test_psi_summary_frames():
    rng = np.random.default_rng(6)
    exp = pd.DataFrame({"a": rng.normal(size=3000), "b": rng.normal(size=3000)})
    act = pd.DataFrame({"a": rng.normal(0.5, 1, size=3000), "b": rng.normal(size=3000)})
    out = psi_summary(exp, act)
    assert list(out.index) == ["a", "b"]
    assert bool(out.loc["a", "drift"]) and out.loc["a", "traffic_light"] in ("amber", "red")
    assert out.loc["a", "psi"] == pytest.approx(psi(exp["a"], act["a"]).estimate)
    with pytest.raises(ValueError, match="actual lacks columns \\['b'\\]"):
        psi_summary(exp, act[["a"]])


def test_count_tables_merge_by_addition():
    rng = np.random.default_rng(8)
    n = 1000
    X = pd.DataFrame({"x": rng.normal(size=n), "c": rng.choice(["p", "q"], size=n)})
    X["c"] = X["c"].astype("category")
    y = rng.integers(0, 2, n)
    w = rng.uniform(0.5, 2, n)
    bins = {
        "x": FeatureBins("x", edges=(-0.5, 0.0, 0.5)),
        "c": FeatureBins("c", categories=(("p",), ("q",))),
    }
    whole = CountTable.from_frame(X, bins, {"class": y}, w)
    parts = [
        CountTable.from_frame(X.iloc[i : i + 300], bins, {"class": y[i : i + 300]}, w[i : i + 300])
        for i in range(0, n, 300)
    ]
    merged = sum(parts)
    assert merged == whole
    np.testing.assert_allclose(
        merged.vector("x", "sum_w2", **{"class": 1}), whole.vector("x", "sum_w2", **{"class": 1})
    )
    with pytest.raises(ValueError, match="different bins"):
        whole + CountTable.from_frame(X, {"x": FeatureBins("x", edges=(0.0,))}, {"class": y})


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda x, y: woe_table(x, np.ones_like(y)), "single class"),
        (lambda x, y: woe_table(x, y * 2), r"labels \[0, 2\]: name the event class"),
        (lambda x, y: woe_table(x, np.arange(len(y)) % 3), "binary target"),
        (lambda x, y: woe_table(x, np.where(y == 1, "bad", "good")), "event='bad'"),
        (lambda x, y: woe_table(x[:-1], y), "length mismatch"),
        (lambda x, y: woe_table(x, y, bins=4, sample_weight=-np.ones(len(y))), "negative weight"),
        (lambda x, y: woe_table(np.full(len(y), 2.0), y, bins=4), "constant"),
        (lambda x, y: woe_table(np.full(len(y), np.nan), y, bins=4), "only missing"),
        (lambda x, y: woe_table(np.where(y > 0, "a", "b"), y, bins=4), "mark it categorical"),
        (lambda x, y: woe_table(x, y, woe_sign="odds"), "woe_sign"),
        (lambda x, y: psi(x, [], bins=4), "both need rows"),
    ],
)
def test_bad_input(credit_like, call, match):
    x, y = credit_like
    with pytest.raises(ValueError, match=match):
        call(x, y)


def test_unseen_category_gets_a_bin_in_count_table_and_psi_from_counts():
    """A category in no bin is counted in a last bin "unseen" (it was an error, which lost a
    monitoring run); the PSI from the tables is then the PSI of the raw samples."""
    from infodiv import psi, psi_by_period, psi_from_counts
    from infodiv.exceptions import InfodivWarning, UnseenCategoryWarning

    bins = {"c": FeatureBins("c", categories=(("a",), ("b",)))}
    X = pd.DataFrame({"c": ["a", "b", "z"]})
    with pytest.warns(UnseenCategoryWarning, match="'c': 1 rows"):
        t = CountTable.from_frame(X, bins, {"class": [0, 1, 0]})
    assert t.labels["c"] == ["a", "b", "missing", "unseen"]
    assert t.vector("c", "n", **{"class": 0}).tolist() == [1.0, 0.0, 0.0, 1.0]

    base_rows = pd.Series(["a", "b", "a", "b", "a"] * 20, name="c")
    day_rows = pd.Series(["a", "b", "z", "a"] * 10 + ["b", "a", "z", "b"] * 10, name="c")
    base = CountTable.from_frame(base_rows.to_frame(), bins, {"class": [0, 1] * 50})
    with pytest.warns(UnseenCategoryWarning):
        day = CountTable.from_frame(day_rows.to_frame(), bins, {"day": [1] * 40 + [2] * 40})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfodivWarning)
        got = psi_from_counts(base, day, actual_where={"day": 1}).loc["c"]
        raw = psi(base_rows.astype("category"), day_rows[:40], bins=bins["c"])
        by_day = psi_by_period(base, day, "day")
    assert got["estimate"] == pytest.approx(raw.estimate, rel=1e-12)
    assert got["n_unseen"] == raw.n_unseen == 10  # a quarter of day 1
    assert got["unseen_share"] == pytest.approx(0.25)
    assert by_day["n_unseen"].tolist() == [10, 10]
    # tables with and without the bin still add: the other has no row there
    total = CountTable.from_frame(base_rows.to_frame(), bins, {"day": [0] * 100}) + day
    assert total.labels["c"][-1] == "unseen"
    assert total.vector("c", "n", day=0).tolist() == [60.0, 40.0, 0.0, 0.0]
    # base: a 60, b 40; day 1: a 20, b 10, z 10; day 2: a 10, b 20, z 10
    assert total.vector("c", "n").tolist() == [90.0, 70.0, 0.0, 20.0]


def test_against_optbinning_iv_on_same_bins():
    """Development check against an outside package: optbinning's IV on identical bins."""
    optbinning = pytest.importorskip("optbinning")
    rng = np.random.default_rng(9)
    n = 5000
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(1 - x))).astype(int)
    splits = [-1.0, -0.25, 0.4, 1.2]
    ob = optbinning.OptimalBinning(name="x", dtype="numerical", user_splits=splits)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ob.fit(x, y)
        bt = ob.binning_table.build()
    ob_iv = float(bt.loc["Totals", "IV"])
    # optbinning's intervals are [a, b) like infodiv's
    ours = woe_table(x, y, bins=splits)
    assert ours.iv.estimate == pytest.approx(ob_iv, rel=1e-6)
    ob_woe = bt["WoE"].iloc[: len(splits) + 1].astype(float).to_numpy()
    # optbinning's WoE is ln(non-event share / event share): the "good/bad" convention
    np.testing.assert_allclose(ours.woe.iloc[: len(splits) + 1].to_numpy(), -ob_woe, rtol=1e-6)


def test_against_fastwoe_iv_standard_error():
    """Development check: fastwoe's delta-method IV SE (when installed) equals ours.

    fastwoe pins scikit-learn < 1.9, so it is not in the dev extras; install it with
    ``pip install --no-deps fastwoe loguru rich numba`` to run this check.
    """
    metrics = pytest.importorskip("fastwoe.metrics")
    rng = np.random.default_rng(10)
    for _ in range(5):
        bads = rng.integers(5, 200, size=6).astype(float)
        goods = rng.integers(5, 800, size=6).astype(float)
        ours = divergence(bads, goods, "jeffreys").se
        assert metrics._iv_standard_error(bads, goods) == pytest.approx(ours, rel=1e-10)


def _jeffreys(p_counts, q_counts):
    """sum (p - q) ln(p / q) of two count vectors, every cell non-empty (computed here)."""
    p = np.asarray(p_counts, dtype=float) / np.sum(p_counts)
    q = np.asarray(q_counts, dtype=float) / np.sum(q_counts)
    return float(np.sum((p - q) * np.log(p / q)))


@pytest.mark.filterwarnings("ignore::infodiv.exceptions.InfodivWarning")
def test_psi_counts_a_new_category_in_an_unseen_bin():
    # expected: a 40, b 35, c 25; actual: a 30, b 30, c 20 and 20 rows of the new category d
    expected = pd.Series(["a"] * 40 + ["b"] * 35 + ["c"] * 25, name="g").astype("category")
    actual = pd.Series(["a"] * 30 + ["b"] * 30 + ["c"] * 20 + ["d"] * 20, name="g")
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        r = psi(expected, actual.astype("category"))
    kinds = {w.category.__name__: str(w.message) for w in rec}
    assert "'unseen'" in kinds["ZeroCellWarning"]  # the zero-cell rule says so
    assert (
        "['d']" in kinds["UnseenCategoryWarning"]
        and "20 rows of actual" in kinds["UnseenCategoryWarning"]
    )
    # the documented rule: the unseen cell, empty in expected, gets 0.5 observation in both
    # samples (unweighted rows: one observation weighs 1); the missing bin is empty in both
    want = _jeffreys([30, 30, 20, 20 + 0.5], [40, 35, 25, 0 + 0.5])
    assert np.isfinite(r.estimate) and r.estimate == pytest.approx(want, rel=1e-12)
    assert r.n_unseen == 20 and r.unseen_share == pytest.approx(0.2)
    row = r.table.set_index("bin").loc["unseen"]
    assert (row["expected"], row["actual"]) == (0, 20)
    assert "20 unseen rows" in repr(r)
    s = r.summary()
    assert s.loc["g", "n_unseen"] == 20 and s.loc["g", "unseen_share"] == pytest.approx(0.2)
    # the same with object columns and bins=None, and through psi_summary
    r2 = psi(expected.astype(object), actual, bins=None)
    assert r2.estimate == pytest.approx(want, rel=1e-12) and r2.n_unseen == 20
    other = np.arange(100.0)
    tab = psi_summary(
        pd.DataFrame({"g": expected, "x": other}), pd.DataFrame({"g": actual, "x": other})
    )
    assert tab.loc["g", "psi"] == pytest.approx(want, rel=1e-12)
    assert tab.loc["g", "n_unseen"] == 20 and tab.loc["x", "n_unseen"] == 0
    assert tab.loc["g", "unseen_share"] == pytest.approx(0.2)


def test_psi_unseen_share_is_weighted_and_smoothing_uses_kish():
    expected = pd.Series(["a"] * 6 + ["b"] * 4)
    actual = pd.Series(["a", "b", "z", "z"])
    wa = np.array([1.0, 1.0, 3.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = psi(expected, actual, bins=None, actual_weight=wa)
    assert r.n_unseen == 2 and r.unseen_share == pytest.approx(4 / 6)
    # one effective observation of actual weighs sum(w) / n_eff, n_eff = (sum w)^2 / sum w^2
    n_eff = 6.0**2 / 12.0
    half = 0.5 * 6.0 / n_eff
    want = _jeffreys([1, 1, 4 + half], [6, 4, 0.5])
    assert r.estimate == pytest.approx(want, rel=1e-12)


def test_psi_values_outside_the_fitted_range_fall_in_the_end_bins():
    expected = np.linspace(0.0, 1.0, 101)
    actual = np.r_[np.full(10, -1e9), np.full(20, 0.3), np.full(30, 7e12)]
    r = psi(expected, actual, bins=[0.25, 0.75])
    assert r.n_unseen == 0
    counts = r.table.set_index("bin")["actual"]
    assert counts.tolist() == [10, 20, 30, 0]  # (-inf, .25), [.25, .75), [.75, inf), missing
    want = _jeffreys([10, 20, 30], [25, 50, 26])  # 0..0.24 (25), 0.25..0.74 (50), rest 26
    assert r.estimate == pytest.approx(want, rel=1e-12)


def test_weighted_woe_table_counts_add_up():
    x = np.array(["a", "a", "b", "b", "b"])
    y = np.array([1, 0, 1, 0, 0])
    w = np.array([2.0, 0.5, 1.0, 1.5, 3.0])
    tab = woe_table(x, y, "values", sample_weight=w).table.set_index("bin")
    # by hand: a: bads 2.0, goods 0.5; b: bads 1.0, goods 4.5
    assert tab.loc["a", ["goods", "bads", "count"]].tolist() == [0.5, 2.0, 2.5]
    assert tab.loc["b", ["goods", "bads", "count"]].tolist() == [4.5, 1.0, 5.5]
    np.testing.assert_allclose(tab["goods"] + tab["bads"], tab["count"])
    assert tab.loc["total", "count"] == 8.0 and tab.loc["total", "rows"] == 5
    assert tab.loc[["a", "b"], "rows"].tolist() == [2, 3]
    assert tab.loc["a", "count_share"] == pytest.approx(2.5 / 8)
    unweighted = woe_table(x, y, "values").table
    assert "rows" not in unweighted.columns
    np.testing.assert_array_equal(unweighted["goods"] + unweighted["bads"], unweighted["count"])
