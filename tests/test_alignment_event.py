"""Issue 14, parts 1 and 2: rows matched by index label, and one rule for the event class.

Every public entry point that takes several row-aligned inputs matches pandas inputs by index
label (same labels in another order: reordered; different labels: an error naming both
arguments) and arrays by position. Every binary target is 0/1 or boolean (1/True = event), or
two labels with ``event=`` naming the event. Expected values are computed here by hand (IV,
WoE, AUC by brute force) on the aligned data, or by the same call on data aligned with
``.loc`` beforehand.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from infodiv import divergence
from infodiv.binning import StumpBinner
from infodiv.causal import ManskiBounds
from infodiv.cli import main
from infodiv.core import CountTable, FeatureBins
from infodiv.credit import (
    Scorecard,
    WoEEncoder,
    auc,
    auc_difference,
    calibration_summary,
    holdout_metrics,
    iv_summary,
    ks_statistic,
    psi,
    woe_table,
    woe_tables,
)
from infodiv.exceptions import InvalidParameterError
from infodiv.fairness import protected_divergence

N = 800


@pytest.fixture(scope="module")
def data():
    """X with a scrambled integer index, y (0/1) and weights as Series on that index."""
    rng = np.random.default_rng(14)
    z = rng.normal(size=N)
    d = np.digitize(z, [-0.8, 0.0, 0.8])  # four values, strongly predictive
    y = (rng.random(N) < 1 / (1 + np.exp(-2.5 * z))).astype(int)
    grp = rng.integers(0, 2, N)
    index = pd.Index(rng.permutation(N) + 1000, name="id")
    X = pd.DataFrame(
        {"d": d, "z": z, "noise": rng.normal(size=N), "grp": grp.astype(str)}, index=index
    )
    ys = pd.Series(y, index=index, name="y")
    w = pd.Series(rng.uniform(0.5, 2.0, N), index=index, name="w")
    return X, ys, w


def shuffled(s: pd.Series | pd.DataFrame, seed: int = 1):
    return s.sample(frac=1, random_state=seed)


def hand_iv(x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> tuple[float, dict]:
    """IV = sum (b_j - g_j) ln(b_j / g_j) over the distinct values of x, and the WoE per value."""
    w = np.ones(len(x)) if w is None else w
    iv, woe = 0.0, {}
    for v in np.unique(x):
        b = w[(x == v) & (y == 1)].sum() / w[y == 1].sum()
        g = w[(x == v) & (y == 0)].sum() / w[y == 0].sum()
        woe[v] = np.log(b / g)
        iv += (b - g) * np.log(b / g)
    return iv, woe


def hand_auc(y: np.ndarray, s: np.ndarray) -> float:
    pos, neg = s[y == 1], s[y == 0]
    gt = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(gt / (len(pos) * len(neg)))


# ---------------------------------------------------------------------- part 1: alignment
def test_iv_summary_matches_a_shuffled_y_by_label(data):
    X, y, _ = data
    ys = shuffled(y)
    assert not ys.index.equals(X.index)
    res = iv_summary(X[["d"]], ys, bins=None)
    expected, _ = hand_iv(X["d"].to_numpy(), y.loc[X.index].to_numpy())
    assert expected > 0.5
    assert res.loc["d", "iv"] == pytest.approx(expected, rel=1e-12)


def test_iv_summary_matches_shuffled_sample_weight_by_label(data):
    X, y, w = data
    res = iv_summary(X[["d"]], shuffled(y, 2), bins=None, sample_weight=shuffled(w, 3))
    expected, _ = hand_iv(X["d"].to_numpy(), y.to_numpy(), w.to_numpy())
    assert res.loc["d", "iv"] == pytest.approx(expected, rel=1e-12)


def test_woe_table_and_woe_tables_match_a_shuffled_y(data):
    X, y, w = data
    _, woe = hand_iv(X["d"].to_numpy(), y.to_numpy(), w.to_numpy())
    t = woe_table(X["d"], shuffled(y), bins=None, sample_weight=shuffled(w, 5))
    got = t.woe.to_numpy()[: len(woe)]
    np.testing.assert_allclose(got, [woe[v] for v in sorted(woe)], rtol=1e-12)
    tt = woe_tables(X[["d", "z"]], shuffled(y), bins={"d": None, "z": 5})
    ref = woe_tables(X[["d", "z"]], y, bins={"d": None, "z": 5})
    for f in ("d", "z"):
        pd.testing.assert_frame_equal(tt[f].table, ref[f].table)


def test_numpy_inputs_are_positional(data):
    X, y, _ = data
    perm = np.random.default_rng(0).permutation(N)
    y_np = y.to_numpy()[perm]  # a positional y that does not match X's rows
    res = iv_summary(X[["d"]], y_np, bins=None)
    expected, _ = hand_iv(X["d"].to_numpy(), y_np)
    assert res.loc["d", "iv"] == pytest.approx(expected, rel=1e-12)
    # lists too
    assert iv_summary(X[["d"]], list(y_np), bins=None).loc["d", "iv"] == pytest.approx(expected)


@pytest.mark.parametrize("who", ["y", "sample_weight"])
def test_different_index_labels_raise_naming_both_arguments(data, who):
    X, y, w = data
    kw = {"y": y, "sample_weight": w}
    kw[who] = kw[who].reset_index(drop=True)  # labels 0..N-1, X has 1000..
    with pytest.raises(InvalidParameterError, match=rf"{who} and X .*indexes differ") as e:
        iv_summary(X[["d"]], kw["y"], bins=None, sample_weight=kw["sample_weight"])
    assert "reset_index(drop=True)" in str(e.value)
    assert f"{N} labels" in str(e.value)


def test_duplicated_labels_align_only_when_identical():
    X = pd.DataFrame({"d": [0, 1, 0, 1, 0, 1]}, index=[1, 1, 2, 2, 3, 3])
    y = pd.Series([0, 1, 0, 1, 1, 0], index=[1, 1, 2, 2, 3, 3])
    expected, _ = hand_iv(X["d"].to_numpy(), y.to_numpy())
    assert iv_summary(X, y, bins=None).loc["d", "iv"] == pytest.approx(expected)
    with pytest.raises(InvalidParameterError, match="duplicated labels"):
        iv_summary(X, y.iloc[::-1], bins=None)


def test_estimators_match_shuffled_y_and_weights(data):
    X, y, w = data
    Xf = X[["z", "noise"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = StumpBinner(n_estimators=10, random_state=0).fit(Xf, shuffled(y), shuffled(w, 4))
        b = StumpBinner(n_estimators=10, random_state=0).fit(Xf, y, w)
        assert a.bins_["z"].edges == b.bins_["z"].edges
        ea = WoEEncoder(bins=5, random_state=0).fit(Xf, shuffled(y))
        eb = WoEEncoder(bins=5, random_state=0).fit(Xf, y)
        np.testing.assert_array_equal(ea.transform(Xf), eb.transform(Xf))
        # the WoE of the encoder is the hand WoE of its bins on the aligned rows
        codes = eb.bins_["z"].codes(Xf["z"])
        _, woe = hand_iv(codes, y.to_numpy())
        np.testing.assert_allclose(eb.woe_values_["z"][: len(woe)], [woe[c] for c in sorted(woe)])
        enc = WoEEncoder(binner=StumpBinner(n_estimators=10), random_state=0)
        sa = Scorecard(encoder=enc, cross_fit=False).fit(Xf, shuffled(y), shuffled(w, 6))
        sb = Scorecard(encoder=enc, cross_fit=False).fit(Xf, y, w)
    pd.testing.assert_series_equal(sa.params_, sb.params_)


def test_estimators_refuse_different_index_labels(data):
    X, y, _ = data
    with pytest.raises(InvalidParameterError, match="y and X"):
        StumpBinner(n_estimators=5).fit(X[["z"]], y.reset_index(drop=True))
    with pytest.raises(InvalidParameterError, match="sample_weight and X"):
        WoEEncoder(bins=5).fit(X[["z"]], y, sample_weight=pd.Series(np.ones(N)))


def test_transform_of_an_array_after_a_dataframe_fit_is_positional(data):
    X, y, _ = data
    Xf = X[["z", "noise"]]
    for est in (
        StumpBinner(n_estimators=5, random_state=0),
        WoEEncoder(bins=5, random_state=0),
    ):
        est.fit(Xf, y)
        with pytest.warns(UserWarning, match="feature names"):
            out = est.transform(Xf.to_numpy())
        np.testing.assert_array_equal(out, est.transform(Xf))
    card = Scorecard(encoder=WoEEncoder(bins=5), cross_fit=False).fit(Xf, y)
    with pytest.warns(UserWarning, match="feature names"):
        p = card.predict_proba(Xf.to_numpy())
    np.testing.assert_array_equal(p, card.predict_proba(Xf))
    with pytest.raises(ValueError, match="features"):
        card.predict_proba(Xf.to_numpy()[:, :1])


def test_protected_divergence_matches_shuffled_inputs(data):
    X, y, w = data
    score = pd.Series(X["z"].to_numpy() * 2.0, index=X.index)
    feats = X[["d", "noise"]]
    ref = protected_divergence(feats, X["grp"], y, score=score, sample_weight=w)
    got = protected_divergence(
        feats,
        shuffled(X["grp"], 7),
        shuffled(y, 8),
        score=shuffled(score, 9),
        sample_weight=shuffled(w, 10),
    )
    pd.testing.assert_frame_equal(got.fairness, ref.fairness)
    pd.testing.assert_frame_equal(got.predictive, ref.predictive)
    # the fairness IV of d between the groups, by hand on the aligned rows
    g = (X["grp"] == "1").to_numpy().astype(int)
    expected, _ = hand_iv(X["d"].to_numpy(), g, w.to_numpy())
    row = [k for k in ref.results if k[1] == "d"][0]
    assert ref.results[row].estimate == pytest.approx(expected, rel=1e-9)
    with pytest.raises(InvalidParameterError, match="protected and X"):
        protected_divergence(feats, X["grp"].reset_index(drop=True), y)
    with pytest.raises(InvalidParameterError, match="score and X"):
        protected_divergence(feats, "d", score=score.reset_index(drop=True))


def test_credit_metrics_match_shuffled_scores(data):
    X, y, _ = data
    s = pd.Series(X["z"].to_numpy(), index=X.index)
    s2 = pd.Series(X["noise"].to_numpy(), index=X.index)
    p = pd.Series(1 / (1 + np.exp(-2 * X["z"].to_numpy())), index=X.index)
    ys = shuffled(y, 11)
    expected = hand_auc(y.to_numpy(), s.to_numpy())
    assert auc(ys, s).estimate == pytest.approx(expected, rel=1e-12)
    assert auc(y, shuffled(s, 12)).estimate == pytest.approx(expected, rel=1e-12)
    d = auc_difference(ys, s, shuffled(s2, 13))
    assert d.estimate == pytest.approx(expected - hand_auc(y.to_numpy(), s2.to_numpy()))
    assert ks_statistic(ys, p) == pytest.approx(ks_statistic(y.to_numpy(), p.to_numpy()))
    cal_ref = calibration_summary(y.to_numpy(), p.to_numpy())
    assert calibration_summary(ys, p).slope == pytest.approx(cal_ref.slope)
    m_ref, c_ref = holdout_metrics(y.to_numpy(), p.to_numpy())
    m, c = holdout_metrics(ys, shuffled(p, 14))
    pd.testing.assert_frame_equal(m, m_ref)
    with pytest.raises(InvalidParameterError, match="score and y"):
        auc(y, s.reset_index(drop=True))
    with pytest.raises(InvalidParameterError, match="p and y"):
        ks_statistic(y, p.reset_index(drop=True))


def test_causal_treatment_and_outcome_match_by_label(data):
    X, y, _ = data
    A = pd.Series((X["z"].to_numpy() > 0).astype(int), index=X.index)
    Y = y.astype(float)
    ref = ManskiBounds(support=(0, 1)).fit(None, A.to_numpy(), Y.to_numpy()).summary()
    got = ManskiBounds(support=(0, 1)).fit(None, shuffled(A, 15), Y).summary()
    pd.testing.assert_frame_equal(got, ref)
    cov = X[["noise"]]
    ref = ManskiBounds(support=(0, 1)).fit(cov, A, Y).summary()
    got = ManskiBounds(support=(0, 1)).fit(cov, shuffled(A, 16), shuffled(Y, 17)).summary()
    pd.testing.assert_frame_equal(got, ref)
    with pytest.raises(InvalidParameterError, match="A and X"):
        ManskiBounds(support=(0, 1)).fit(cov, A.reset_index(drop=True), Y)


def test_divergence_aligns_labelled_counts():
    p = pd.Series([30, 50, 20], index=["a", "b", "c"])
    q = pd.Series([20, 50, 30], index=["a", "b", "c"])
    expected = sum((pi / 100 - qi / 100) * np.log(pi / qi) for pi, qi in zip(p, q, strict=True))
    assert divergence(p, q.iloc[::-1]).estimate == pytest.approx(expected)
    assert divergence(p, q).estimate == pytest.approx(expected)
    with pytest.raises(InvalidParameterError, match="q_counts and p_counts .*'d'"):
        divergence(p, q.rename({"c": "d"}))
    with pytest.raises(InvalidParameterError, match="q_counts and p_counts"):
        divergence(p, q.iloc[:2])  # a missing label is not read as a zero count
    # arrays stay positional
    assert divergence(p.to_numpy(), q.to_numpy()[::-1]).estimate != pytest.approx(expected)


def test_count_table_keys_and_weights_match_by_label(data):
    X, y, w = data
    bins = {"d": FeatureBins("d", categories=tuple((v,) for v in range(4)))}
    X_cat = X[["d"]]
    ref = CountTable.from_frame(X_cat, bins, {"class": y.to_numpy()}, w.to_numpy())
    got = CountTable.from_frame(X_cat, bins, {"class": shuffled(y)}, shuffled(w, 18))
    pd.testing.assert_frame_equal(got.frame, ref.frame)
    with pytest.raises(InvalidParameterError, match=r"by\['class'\] and X"):
        CountTable.from_frame(X_cat, bins, {"class": y.reset_index(drop=True)})


def test_psi_weights_match_their_sample_by_label(data):
    X, _, w = data
    e = X["z"]
    ref = psi(e, X["noise"], bins=[-1.0, 0.0, 1.0], expected_weight=w.to_numpy())
    got = psi(e, X["noise"], bins=[-1.0, 0.0, 1.0], expected_weight=shuffled(w))
    assert got.estimate == pytest.approx(ref.estimate, rel=1e-12)


# ---------------------------------------------------------------------- part 2: the event
@pytest.fixture(scope="module")
def labelled(data):
    X, y, _ = data
    return X, y, pd.Series(np.where(y == 1, "bad", "good"), index=y.index)


@pytest.mark.parametrize(
    "call",
    [
        lambda X, t: iv_summary(X[["d"]], t),
        lambda X, t: woe_table(X["d"], t),
        lambda X, t: woe_tables(X[["d"]], t),
        lambda X, t: auc(t, X["z"]),
        lambda X, t: auc_difference(t, X["z"], X["noise"]),
        lambda X, t: ks_statistic(t, X["z"]),
        lambda X, t: calibration_summary(t, 1 / (1 + np.exp(-X["z"]))),
        lambda X, t: holdout_metrics(t, 1 / (1 + np.exp(-X["z"]))),
        lambda X, t: protected_divergence(X[["d"]], X["grp"], t),
        lambda X, t: StumpBinner(n_estimators=5).fit(X[["z"]], t),
        lambda X, t: WoEEncoder(bins=5).fit(X[["z"]], t),
        lambda X, t: WoEEncoder(bins=5).fit_transform(X[["z"]], t),
        lambda X, t: Scorecard(encoder=WoEEncoder(bins=5)).fit(X[["z"]], t),
    ],
)
def test_labels_other_than_0_1_need_the_event_named(labelled, call):
    X, _, t = labelled
    with pytest.raises(InvalidParameterError, match=r"y has labels \['bad', 'good'\]: .*event="):
        call(X, t)


def test_frontier_needs_the_event_named(labelled):
    from infodiv.fairness import FairnessFrontier

    X, _, t = labelled
    with pytest.raises(InvalidParameterError, match="name the event class with event="):
        FairnessFrontier(protected="grp").fit(X[["grp", "d", "z"]], t)
    with pytest.raises(InvalidParameterError, match=r"event='BAD' is not one of the labels"):
        FairnessFrontier(protected="grp", event="BAD").fit(X[["grp", "d", "z"]], t)


def test_event_named_gives_the_0_1_results(labelled):
    X, y, t = labelled
    expected, woe = hand_iv(X["d"].to_numpy(), y.to_numpy())
    assert iv_summary(X[["d"]], t, bins=None, event="bad").loc["d", "iv"] == pytest.approx(expected)
    tab = woe_table(X["d"], t, bins=None, event="bad")
    np.testing.assert_allclose(tab.woe.to_numpy()[:4], [woe[v] for v in range(4)])
    assert (tab.woe.to_numpy()[:4][-1]) > 0  # high d = riskier: positive WoE (bad/good)
    pd.testing.assert_frame_equal(
        woe_tables(X[["d"]], t, bins=None, event="bad")["d"].table,
        woe_tables(X[["d"]], y, bins=None)["d"].table,
    )
    assert auc(t, X["z"], event="bad").estimate == pytest.approx(
        hand_auc(y.to_numpy(), X["z"].to_numpy())
    )
    # naming the other class as the event mirrors the AUC and flips the WoE
    assert auc(t, X["z"], event="good").estimate == pytest.approx(
        1 - hand_auc(y.to_numpy(), X["z"].to_numpy())
    )
    flipped = woe_table(X["d"], t, bins=None, event="good").woe.to_numpy()[:4]
    np.testing.assert_allclose(flipped, [-woe[v] for v in range(4)])


def test_estimators_with_a_named_event_equal_the_0_1_fit(labelled):
    X, y, t = labelled
    Xf = X[["z", "noise"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = StumpBinner(n_estimators=10, random_state=0, event="bad").fit(Xf, t)
        b = StumpBinner(n_estimators=10, random_state=0).fit(Xf, y)
        assert a.bins_["z"].edges == b.bins_["z"].edges
        assert list(a.classes_) == ["good", "bad"]
        ea = WoEEncoder(bins=5, event="bad").fit(Xf, t)
        eb = WoEEncoder(bins=5).fit(Xf, y)
        np.testing.assert_array_equal(ea.transform(Xf), eb.transform(Xf))
        assert list(ea.classes_) == ["good", "bad"]
        # bads sit at high z: the WoE of z rises with z (positive = riskier)
        assert np.corrcoef(Xf["z"], ea.transform(Xf)[:, 0])[0, 1] > 0.8
        enc = WoEEncoder(binner=StumpBinner(n_estimators=10, event="ignored"), random_state=0)
        sa = Scorecard(encoder=enc, cross_fit=False, event="bad").fit(Xf, t)
        sb = Scorecard(encoder=enc, cross_fit=False).fit(Xf, y)
    np.testing.assert_allclose(sa.predict_proba(Xf), sb.predict_proba(Xf))
    assert list(sa.classes_) == ["good", "bad"]
    # bads score lower: points fall as the log-odds of the event rise
    p = sa.predict_proba(Xf)[:, 1]
    assert np.corrcoef(sa.score(Xf), np.log(p / (1 - p)))[0, 1] == pytest.approx(-1.0)


@pytest.mark.parametrize(
    "recode",
    [
        lambda y: y.astype(bool),
        lambda y: y.astype(float),
        lambda y: y.astype("Int64"),
        lambda y: y.astype("boolean"),
        lambda y: y.astype(object),
    ],
)
def test_0_1_and_booleans_need_no_event(labelled, recode):
    X, y, _ = labelled
    expected, _ = hand_iv(X["d"].to_numpy(), y.to_numpy())
    assert iv_summary(X[["d"]], recode(y), bins=None).loc["d", "iv"] == pytest.approx(expected)
    b = StumpBinner(n_estimators=5, random_state=0).fit(X[["z"]], recode(y))
    assert b.classes_[1] == 1


def test_minus_one_one_and_text_digits_need_the_event(labelled):
    X, y, _ = labelled
    pm = y * 2 - 1
    with pytest.raises(InvalidParameterError, match=r"labels \[-1, 1\]"):
        iv_summary(X[["d"]], pm, bins=None)
    expected, _ = hand_iv(X["d"].to_numpy(), y.to_numpy())
    assert iv_summary(X[["d"]], pm, bins=None, event=1).loc["d", "iv"] == pytest.approx(expected)
    with pytest.raises(InvalidParameterError, match=r"labels \['0', '1'\]"):
        auc(y.astype(str), X["z"])
    with pytest.raises(InvalidParameterError, match="event=1 is not one of the labels"):
        auc(y.astype(str), X["z"], event=1)


def test_zero_weight_on_every_event_row_names_the_weights_and_the_class(labelled):
    X, y, t = labelled
    w = np.where(y == 1, 0.0, 1.0)
    msg = r"every row with y == 1 \(the event\) has zero sample_weight"
    with pytest.raises(InvalidParameterError, match=msg):
        iv_summary(X[["d"]], y, sample_weight=w)
    with pytest.raises(InvalidParameterError, match=msg):
        woe_table(X["d"], y, sample_weight=w)
    with pytest.raises(InvalidParameterError, match=r"y == 'bad' \(the event\)"):
        StumpBinner(n_estimators=5, event="bad").fit(X[["z"]], t, sample_weight=w)
    with pytest.raises(InvalidParameterError, match=r"y == 0 \(the non-event\)"):
        protected_divergence(X[["d"]], X["grp"], y, sample_weight=1 - w)
    from infodiv.fairness import FairnessFrontier

    with pytest.raises(InvalidParameterError, match=msg):
        FairnessFrontier(protected="grp").fit(X[["grp", "d", "z"]], y, sample_weight=w)


def test_estimator_input_errors_are_invalid_parameter_errors(data):
    X, y, _ = data
    with pytest.raises(InvalidParameterError, match="requires y"):
        StumpBinner().fit(X[["z"]], None)
    with pytest.raises(InvalidParameterError, match="only one class"):
        WoEEncoder().fit(X[["z"]], np.ones(N))


def test_cli_report_needs_event_for_text_targets(tmp_path, capsys):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {"x": rng.normal(size=200), "target": np.where(rng.random(200) < 0.3, "bad", "good")}
    )
    path = tmp_path / "d.csv"
    df.to_csv(path, index=False)
    code = main(["report", str(path), "--target", "target", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "--event 'bad'" in err and "['bad', 'good']" in err
    code = main(
        ["report", str(path), "--target", "target", "--event", "BAD", "--out", str(tmp_path)]
    )
    assert (
        code == 2 and "argument --event: 'BAD' is not one of the labels" in capsys.readouterr().err
    )


def test_cli_event_takes_the_type_of_the_column():
    from infodiv.cli import event_value

    assert event_value(pd.Series([1, 2, 2]), "2") == 2
    assert event_value(pd.Series([True, False]), "true") is True
    assert event_value(pd.Series(["a", "b"]), "b") == "b"
    assert event_value(pd.Series([1, 2]), None) is None
    with pytest.raises(ValueError, match="--event 'x'"):
        event_value(pd.Series([1, 2]), "x")


def test_frontier_matches_shuffled_y_and_weights(data):
    from infodiv.fairness import FairnessFrontier

    X, y, w = data
    cols = X[["grp", "d", "z", "noise"]]
    kw = {"protected": "grp", "n_points": 1, "max_features": 2, "random_state": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = FairnessFrontier(**kw).fit(cols, y, sample_weight=w)
        got = FairnessFrontier(**kw).fit(cols, shuffled(y, 19), sample_weight=shuffled(w, 20))
        lab = FairnessFrontier(**kw, event="bad").fit(
            cols, shuffled(pd.Series(np.where(y == 1, "bad", "good"), index=y.index), 21), w
        )
    timing = [c for c in ref.frontier_.columns if "time" in c]
    pd.testing.assert_frame_equal(
        got.frontier_.drop(columns=timing), ref.frontier_.drop(columns=timing)
    )
    pd.testing.assert_frame_equal(
        lab.frontier_.drop(columns=timing), ref.frontier_.drop(columns=timing)
    )
    with pytest.raises(InvalidParameterError, match="y and X"):
        FairnessFrontier(**kw).fit(cols, y.reset_index(drop=True))


def test_compare_encodings_matches_by_label_and_names_the_event(data):
    from infodiv.credit import compare_encodings

    X, y, _ = data
    Xf = X[["z", "noise"]]
    tr, te = Xf.iloc[:500], Xf.iloc[500:]
    ytr, yte = y.loc[tr.index], y.loc[te.index]
    kw = {"n_estimators": 5, "random_state": 0}
    ref = compare_encodings(tr, ytr, te, yte, **kw)
    got = compare_encodings(tr, shuffled(ytr, 22), te, shuffled(yte, 23), **kw)
    pd.testing.assert_frame_equal(got.table, ref.table)
    text = lambda s: s.map({1: "bad", 0: "good"})  # noqa: E731
    named = compare_encodings(tr, text(ytr), te, text(yte), event="bad", **kw)
    pd.testing.assert_frame_equal(named.table, ref.table)
    with pytest.raises(InvalidParameterError, match="name the event class"):
        compare_encodings(tr, text(ytr), te, text(yte), **kw)
    with pytest.raises(InvalidParameterError, match="y_test and X_test"):
        compare_encodings(tr, ytr, te, yte.reset_index(drop=True), **kw)


def test_columns_without_string_names_are_read_consistently():
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.normal(size=(300, 2)))  # integer column names: no feature_names_in_
    y = (X[0] + rng.normal(size=300) > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        enc = WoEEncoder(bins=5).fit(X, y)
        np.testing.assert_array_equal(enc.transform(X.to_numpy()), enc.transform(X))
        from_array = WoEEncoder(bins=5).fit(X.to_numpy(), y)
        np.testing.assert_array_equal(from_array.transform(X), enc.transform(X))
    with pytest.raises(InvalidParameterError, match=r"X has columns \['5', '6'\] but WoEEncoder"):
        enc.transform(X.set_axis([5, 6], axis=1))


def test_cli_report_with_event_equals_the_0_1_target(tmp_path):
    import json

    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, 3))
    y01 = (rng.random(600) < 1 / (1 + np.exp(-x[:, 0]))).astype(int)
    df = pd.DataFrame(x, columns=["a", "b", "c"]).assign(g=rng.integers(0, 2, 600))
    ivs = {}
    for tag, target, extra in (
        ("01", y01, []),
        ("text", np.where(y01 == 1, "bad", "good"), ["--event", "bad"]),
    ):
        path = tmp_path / f"{tag}.csv"
        df.assign(t=target).to_csv(path, index=False)
        out = tmp_path / tag
        args = ["report", str(path), "--target", "t", *extra, "--protected", "g"]
        args += ["--no-frontier", "--quiet", "--format", "json", "--out", str(out)]
        assert main(args) == 0
        ivs[tag] = json.loads((out / "report.json").read_text())["sections"]["iv"]
    assert ivs["text"] == ivs["01"]
