"""Issue 15, item 3: aggregated counts passed as ``sample_weight`` are refused unless the
reading is named (``weights="frequency"`` or ``"sampling"``); the frequency reading equals the
expanded rows.

The references are independent: the expanded rows are built with ``np.repeat`` and go through
the unweighted path; the Kish size of the sampling reading is computed by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infodiv import (
    CountTable,
    FeatureBins,
    StumpBinner,
    WoEEncoder,
    iv_summary,
    psi,
    woe_table,
    woe_tables,
)
from infodiv._validation import looks_like_frequency
from infodiv.exceptions import InvalidParameterError
from infodiv.fairness import FairnessFrontier, protected_divergence


def _aggregated(seed: int = 0):
    """A 6-bin x 2-class aggregated table: one row per cell, counts as weights."""
    rng = np.random.default_rng(seed)
    p_bad = np.array([0.02, 0.04, 0.06, 0.09, 0.13, 0.2])
    n_bin = rng.integers(300, 900, 6)
    bads = rng.binomial(n_bin, p_bad)
    code = np.repeat(np.arange(6), 2)
    y = np.tile([0, 1], 6)
    cnt = np.column_stack([n_bin - bads, bads]).ravel().astype(float)
    return code, y, cnt


def test_rule_fires_on_an_aggregated_table():
    _, _, cnt = _aggregated()
    assert looks_like_frequency(cnt)
    code, y, cnt = _aggregated()
    with pytest.raises(InvalidParameterError, match="sample_weight.*weights='frequency'"):
        woe_table(code, y, bins="values", sample_weight=cnt)


@pytest.mark.parametrize(
    "w",
    [
        np.random.default_rng(1).uniform(0.5, 3.0, 2000),  # fractional (calibrated) weights
        np.where(np.arange(2000) % 10 == 0, 1.0, 10.0),  # down-sampled goods: two values
        np.random.default_rng(2).integers(1, 4, 2000).astype(float),  # small integer totals
        np.ones(2000),
    ],
    ids=["fractional", "two-strata", "small-integers", "unit"],
)
def test_rule_does_not_fire_on_sampling_weights(w):
    assert not looks_like_frequency(w)
    rng = np.random.default_rng(3)
    x = rng.normal(size=2000)
    y = (rng.random(2000) < 1 / (1 + np.exp(-x))).astype(int)
    t = woe_table(x, y, bins=5, sample_weight=w)  # no error, sampling reading
    # Kish sizes by hand: the sampling reading is unchanged
    wb, wg = w[y == 1], w[y == 0]
    assert t.iv.n1 == pytest.approx(wb.sum() ** 2 / (wb**2).sum(), rel=1e-12)
    assert t.iv.n2 == pytest.approx(wg.sum() ** 2 / (wg**2).sum(), rel=1e-12)


def test_explicit_sampling_keeps_the_old_numbers():
    code, y, cnt = _aggregated()
    t = woe_table(code, y, bins="values", sample_weight=cnt, weights="sampling")
    wb = cnt[y == 1]
    assert t.iv.n1 == pytest.approx(wb.sum() ** 2 / (wb**2).sum(), rel=1e-12)
    assert t.iv.n1 < 6  # at most the 6 rows of the bads


def test_frequency_reading_equals_the_expanded_rows():
    code, y, cnt = _aggregated()
    reps = cnt.astype(int)
    t_exp = woe_table(np.repeat(code, reps), np.repeat(y, reps), bins="values")
    t_freq = woe_table(code, y, bins="values", sample_weight=cnt, weights="frequency")
    assert t_freq.iv.estimate == pytest.approx(t_exp.iv.estimate, rel=1e-12)
    assert t_freq.iv.se == pytest.approx(t_exp.iv.se, rel=1e-12)
    assert tuple(t_freq.iv.conf_int()) == pytest.approx(tuple(t_exp.iv.conf_int()), rel=1e-9)
    assert t_freq.iv.pvalue == pytest.approx(t_exp.iv.pvalue, rel=1e-9, abs=1e-300)
    assert t_freq.iv.n1 == pytest.approx(cnt[y == 1].sum())
    # the count table itself: n, sum_w and sum_w2 all equal the expanded counts
    X = pd.DataFrame({"x": code.astype(float)})
    fb = {"x": FeatureBins("x", edges=(0.5, 1.5, 2.5, 3.5, 4.5))}
    ct = CountTable.from_frame(X, fb, {"class": y}, cnt, weights="frequency")
    ce = CountTable.from_frame(
        pd.DataFrame({"x": np.repeat(code, reps).astype(float)}), fb, {"class": np.repeat(y, reps)}
    )
    assert ct == ce
    np.testing.assert_allclose(ct.stats("x"), ce.stats("x"))


def test_frequency_reading_in_frames_psi_and_fairness():
    code, y, cnt = _aggregated()
    reps = cnt.astype(int)
    X = pd.DataFrame({"a": code, "b": (code * 7) % 4})
    Xe = X.loc[X.index.repeat(reps)].reset_index(drop=True)
    ye = np.repeat(y, reps)
    s_f = iv_summary(X, y, bins="values", sample_weight=cnt, weights="frequency")
    s_e = iv_summary(Xe, ye, bins="values")
    np.testing.assert_allclose(s_f.loc[s_e.index, "se"], s_e["se"], rtol=1e-12)
    tf = woe_tables(X, y, bins="values", sample_weight=cnt, weights="frequency")
    assert tf["a"].iv.se == pytest.approx(s_e.loc["a", "se"], rel=1e-12)
    with pytest.raises(InvalidParameterError, match="sample_weight"):
        iv_summary(X, y, bins="values", sample_weight=cnt)
    # PSI between two aggregated samples (the two classes as two periods)
    e, a = code[y == 0], code[y == 1]
    we, wa = cnt[y == 0], cnt[y == 1]
    r_f = psi(e, a, "values", expected_weight=we, actual_weight=wa, weights="frequency")
    r_e = psi(np.repeat(e, we.astype(int)), np.repeat(a, wa.astype(int)), "values")
    assert r_f.se == pytest.approx(r_e.se, rel=1e-12)
    assert r_f.estimate == pytest.approx(r_e.estimate, rel=1e-12)
    with pytest.raises(InvalidParameterError, match="expected_weight"):
        psi(e, a, "values", expected_weight=we)
    # fairness IV: the class plays the protected group
    d_f = protected_divergence(
        X[["a"]].assign(g=y), "g", sample_weight=cnt, weights="frequency", bins="values"
    )
    d_e = protected_divergence(Xe[["a"]].assign(g=ye), "g", bins="values")
    np.testing.assert_allclose(d_f.fairness["se"], d_e.fairness["se"], rtol=1e-12)
    with pytest.raises(InvalidParameterError, match="sample_weight"):
        protected_divergence(X[["a"]].assign(g=y), "g", sample_weight=cnt, bins="values")


def test_estimators_read_the_weights():
    code, y, cnt = _aggregated()
    reps = cnt.astype(int)
    X = pd.DataFrame({"a": code.astype(float)})
    with pytest.raises(InvalidParameterError, match="sample_weight"):
        StumpBinner(random_state=0).fit(X, y, sample_weight=cnt)
    enc_f = WoEEncoder(bins={"a": "values"}).fit(X, y, sample_weight=cnt, weights="frequency")
    enc_e = WoEEncoder(bins={"a": "values"}).fit(
        pd.DataFrame({"a": np.repeat(code, reps).astype(float)}), np.repeat(y, reps)
    )
    np.testing.assert_allclose(enc_f.iv_["se"], enc_e.iv_["se"], rtol=1e-12)
    enc_s = WoEEncoder(bins={"a": "values"}).fit(X, y, sample_weight=cnt, weights="sampling")
    assert enc_s.iv_.loc["a", "se"] > 3 * enc_f.iv_.loc["a", "se"]
    with pytest.raises(InvalidParameterError, match="fit_transform"):
        WoEEncoder(bins={"a": "values"}).fit_transform(X, y, sample_weight=cnt, weights="frequency")
    with pytest.raises(InvalidParameterError, match="whole-number"):
        StumpBinner(random_state=0).fit(X, y, sample_weight=cnt + 0.5, weights="frequency")
    with pytest.raises(InvalidParameterError, match="weights must be"):
        StumpBinner(random_state=0).fit(X, y, sample_weight=cnt, weights="counts")
    with pytest.raises(InvalidParameterError, match="weights='frequency'"):
        FairnessFrontier(protected="g").fit(
            X.assign(g=np.arange(12) % 2), y, sample_weight=cnt, weights="frequency"
        )


def test_count_table_on_engines_reads_frequency_weights():
    from infodiv.scale import count_table

    code, y, cnt = _aggregated()
    reps = cnt.astype(int)
    df = pd.DataFrame({"x": code.astype(float), "y": y, "w": cnt})
    fb = FeatureBins("x", edges=(0.5, 1.5, 2.5, 3.5, 4.5))
    got = count_table(df, [fb], "y", "w", weights="frequency")
    expanded = pd.DataFrame({"x": np.repeat(code, reps).astype(float), "y": np.repeat(y, reps)})
    assert got == count_table(expanded, [fb], "y")
    np.testing.assert_allclose(got.stats("x"), count_table(expanded, [fb], "y").stats("x"))
    # the default reading stays the sampling one (rows are not inspected on engines)
    kish = count_table(df, [fb], "y", "w")
    assert kish.stats("x")[:, 2].sum() == pytest.approx((cnt**2).sum())
    assert kish.stats("x")[:, 0].sum() == len(df)
