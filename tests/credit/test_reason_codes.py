"""Reason codes (points below maximum) of a Scorecard, their export and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from infodiv.cli import main
from infodiv.credit import Scorecard
from infodiv.exceptions import InvalidParameterError


@pytest.fixture(scope="module")
def card_and_data():
    rng = np.random.default_rng(0)
    n = 3000
    X = pd.DataFrame(
        {
            "age": rng.integers(18, 80, n).astype(float),
            "income": rng.lognormal(10, 0.5, n),
            "region": rng.choice(["north", "south", "east"], n),
            "noise": rng.normal(size=n),
        }
    )
    X["region"] = X["region"].astype("category")
    eta = -1.5 - 0.03 * (X["age"] - 45) - 0.8 * (np.log(X["income"]) - 10)
    eta = eta + 0.6 * (X["region"] == "south")
    y = rng.binomial(1, 1 / (1 + np.exp(-eta)))
    card = Scorecard(ci_method="wald", random_state=0).fit(X, y)
    return card, X, y


def test_points_lost_add_up_to_max_minus_score(card_and_data):
    card, X, _ = card_and_data
    m = len(card.features_)
    rc = card.reason_codes(X, n=m)
    # independent: per-feature points from points(), best bin from the points table
    pts = card.points(X)
    best = card.points_table_.groupby("feature")["points"].max()
    lost = best[card.features_].to_numpy() - pts[card.features_].to_numpy()
    max_score = float(best.sum())
    score = card.score(X)
    assert card.max_score_ == pytest.approx(max_score, rel=1e-12)
    np.testing.assert_allclose(lost.sum(axis=1), max_score - score, rtol=0, atol=1e-9)
    # the reasons listed (all features, zeros left out) hold exactly the positive losses
    listed = rc[[f"reason_{k}_points" for k in range(1, m + 1)]].fillna(0).to_numpy()
    np.testing.assert_allclose(listed.sum(axis=1), max_score - score, rtol=0, atol=1e-9)
    np.testing.assert_allclose(rc["points_below_max"], max_score - score, atol=1e-9)
    # largest first, and each reason's points are that feature's loss
    assert (np.diff(listed, axis=1) <= 1e-9).all()
    for k in range(1, m + 1):
        f = rc[f"reason_{k}_feature"]
        ok = f.notna().to_numpy()
        j = [card.features_.index(v) for v in f[ok]]
        np.testing.assert_allclose(rc.loc[ok, f"reason_{k}_points"], lost[ok, j], atol=1e-9)
    assert (lost >= -1e-12).all()


def test_codes_and_labels_come_from_the_bins(card_and_data):
    card, X, _ = card_and_data
    rc = card.reason_codes(X.head(50), n=2)
    for i in range(50):
        f = rc.iloc[i]["reason_1_feature"]
        if f is None:
            continue
        code = int(card.encoder_.bins_[f].codes(X[f].iloc[[i]])[0])
        assert rc.iloc[i]["reason_1"] == f"{f}:{code}"
        assert rc.iloc[i]["reason_1_label"] == f"{f}: {card.encoder_.bins_[f].labels[code]}"
    # stable: the same row gives the same codes
    pd.testing.assert_frame_equal(rc, card.reason_codes(X.head(50), n=2))


def test_best_bin_has_no_reason_and_ties_follow_feature_order():
    # two binary features with identical effects: ties broken by features_ order
    rng = np.random.default_rng(1)
    n = 4000
    a = rng.integers(0, 2, n)
    b = rng.integers(0, 2, n)
    y = rng.binomial(1, 1 / (1 + np.exp(-(-1 + a + b))))
    X = pd.DataFrame({"a": a.astype(float), "b": b.astype(float)})
    card = Scorecard(ci_method="wald", random_state=0).fit(X, y)
    tab = card.reason_code_table()
    # force an exact tie by making the two features' point tables identical
    card.points_table_.loc[card.points_table_["feature"] == "b", "points"] = card.points_table_.loc[
        card.points_table_["feature"] == "a", "points"
    ].to_numpy()
    tab = card.reason_code_table()
    assert set(tab.groupby("feature")["points_below_max"].max().round(9)) == {
        round(tab["points_below_max"].max(), 9)
    }
    worst = pd.DataFrame({"a": [1.0], "b": [1.0]})  # both in the riskier bin
    rc = card.reason_codes(worst, n=3)
    assert rc.loc[0, "reason_1_feature"] == card.features_[0]
    assert rc.loc[0, "reason_2_feature"] == card.features_[1]
    assert rc.loc[0, "reason_3"] is None and np.isnan(rc.loc[0, "reason_3_points"])
    best = pd.DataFrame({"a": [0.0], "b": [0.0]})
    rb = card.reason_codes(best, n=2)
    assert rb.loc[0, "reason_1"] is None  # nothing lost: no reason


def test_bad_n_and_export(card_and_data, tmp_path):
    card, X, _ = card_and_data
    with pytest.raises(InvalidParameterError, match="n must be an integer >= 1"):
        card.reason_codes(X, n=0)
    p = card.export_scores(X.head(5), tmp_path / "s.csv", reason_codes=2)
    back = pd.read_csv(p)
    assert list(back.columns[:3]) == ["id", "score", "max_score"]
    np.testing.assert_allclose(back["score"], card.score(X.head(5)))
    pj = card.export_scores(X.head(5), tmp_path / "s.json", reason_codes=2)
    recs = json.loads(pj.read_text())
    assert len(recs) == 5 and recs[0]["reasons"][0]["rank"] == 1
    tot = [sum(r["points_lost"] for r in rec["reasons"]) for rec in recs]
    assert all(t <= rec["points_below_max"] + 1e-9 for t, rec in zip(tot, recs, strict=True))
    p0 = card.export_scores(X.head(3), tmp_path / "only.csv")
    assert list(pd.read_csv(p0).columns) == ["id", "score"]
    with pytest.raises(InvalidParameterError, match=r"\.csv or \.json"):
        card.export_scores(X.head(3), tmp_path / "s.txt")


def test_cli_score_with_reason_codes(card_and_data, tmp_path, capsys):
    _, X, y = card_and_data
    df = X.assign(cust=np.arange(len(X)) + 100, default=y)
    data = tmp_path / "d.csv"
    df.to_csv(data, index=False)
    out = tmp_path / "scores.csv"
    assert (
        main(
            [
                "score",
                str(data),
                "--target",
                "default",
                "--id",
                "cust",
                "--out",
                str(out),
                "--reason-codes",
                "3",
            ]
        )
        == 0
    )
    assert "3 reason codes" in capsys.readouterr().out
    res = pd.read_csv(out)
    assert len(res) == len(df) and res["id"].iloc[0] == 100
    assert {"reason_1", "reason_3_points"} <= set(res.columns)
    pts = res[["reason_1_points", "reason_2_points", "reason_3_points"]].fillna(0).sum(axis=1)
    assert (pts <= res["points_below_max"] + 1e-9).all()
    # JSON, scoring another file
    other = tmp_path / "o.csv"
    df.head(20).to_csv(other, index=False)
    oj = tmp_path / "s.json"
    assert (
        main(
            [
                "score",
                str(data),
                "--target",
                "default",
                "--exclude",
                "cust",
                "--apply",
                str(other),
                "--out",
                str(oj),
                "--reason-codes",
                "1",
            ]
        )
        == 0
    )
    assert len(json.loads(oj.read_text())) == 20


def test_cli_score_bad_input(card_and_data, tmp_path, capsys):
    _, X, y = card_and_data
    data = tmp_path / "d.csv"
    X.assign(default=y).to_csv(data, index=False)
    assert main(["score", str(data), "--target", "nope", "--out", str(tmp_path / "a.csv")]) == 2
    assert "column 'nope' not found" in capsys.readouterr().err
    assert main(["score", str(data), "--target", "default", "--out", str(tmp_path / "a.txt")]) == 2
    assert "--out" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["score", str(data), "--target", "default", "--out", "x.csv", "--reason-codes", "-1"])
