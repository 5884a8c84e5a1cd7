"""validation_pack: the tests table, sections, curves, JSON, thresholds and input errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from infodiv.credit import (
    DEFAULT_THRESHOLDS,
    RatingGrades,
    Scorecard,
    ValidationResult,
    jeffreys_test,
    model_checks,
    representativeness,
    validation_pack,
)
from infodiv.exceptions import InvalidParameterError


def _frames(n_dev=3000, n_cur=2000, seed=0, shift=0.0):
    rng = np.random.default_rng(seed)

    def one(n, off, sh):
        x1 = rng.normal(size=n) + sh
        x2 = rng.normal(size=n)
        x3 = np.where(rng.random(n) < 0.05, np.nan, rng.normal(size=n))
        lo = -2.0 + 0.9 * x1 + 0.5 * x2
        y = (rng.random(n) < 1 / (1 + np.exp(-lo))).astype(int)
        return pd.DataFrame(
            {"cid": np.arange(off, off + n), "x1": x1, "x2": x2, "x3": x3, "score": lo, "bad": y}
        )

    return one(n_dev, 0, 0.0), one(n_cur, 10**6, shift)


@pytest.fixture(scope="module")
def score_pack():
    dev, cur = _frames()
    return validation_pack(dev, cur, target="bad", score="score", id="cid")


def test_tests_table_shape_statuses_and_sections(score_pack):
    r = score_pack
    assert isinstance(r, ValidationResult)
    assert list(r.tests.columns) == [
        "section",
        "test",
        "null_hypothesis",
        "estimate",
        "statistic",
        "pvalue",
        "status",
        "detail",
    ]
    assert set(r.tests["status"]) <= {"green", "amber", "red"}
    assert set(r.tests["section"]) <= set(r.sections)
    assert list(r.sections) == [
        "calibration",
        "discrimination",
        "concentration",
        "representativeness",
    ]
    # no id in common, a plain score: both absent, with a reason
    assert "stability" in r.absent and "different obligors" in r.absent["stability"]
    assert "model" in r.absent
    for key in ("roc", "cap", "calibration", "score_distribution"):
        assert isinstance(r.curves[key], pd.DataFrame) and len(r.curves[key])
    assert "higher = riskier" in r.meta["score"]
    assert r._repr_html_().count("<tr") == len(r.tests) + 1


def test_pack_calibration_is_the_library_test_on_the_current_grades(score_pack):
    _, cur = _frames()
    g = score_pack.grades
    pd_rows = g.pd_of(cur["score"])
    direct = jeffreys_test(cur["bad"].to_numpy(), pd_rows, g.assign(cur["score"]))
    got = score_pack.sections["calibration"]["jeffreys"]
    np.testing.assert_allclose(
        got.pvalue.drop("portfolio").to_numpy(), direct.pvalue.drop("portfolio").to_numpy()
    )
    row = score_pack.tests.set_index("test").loc["Jeffreys test (portfolio)"]
    assert row["pvalue"] == pytest.approx(float(direct.pvalue["portfolio"]))


def _walk_keys(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from _walk_keys(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk_keys(v)


def test_to_dict_is_strict_json_with_snake_case_keys(score_pack):
    d = score_pack.to_dict()
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    assert back["tests"][0]["section"] == "calibration"
    keys = set(_walk_keys(back))
    bad = [k for k in keys if k != k.lower() or " " in k or "-" in k]
    assert not bad
    # numbers stay numbers
    assert isinstance(back["tests"][0]["pvalue"], float)
    assert all(isinstance(c, float) for c in back["grades"]["cuts"])
    assert back["thresholds"]["psi"] == {"amber": 0.1, "red": 0.25}


def test_migration_by_id_with_a_snapshot_is_order_free():
    dev, cur = _frames()
    snap = cur.copy()
    snap["score"] = snap["score"] + np.random.default_rng(1).normal(scale=0.3, size=len(snap))
    snap = snap.iloc[100:]  # 100 current obligors have no earlier snapshot
    r = validation_pack(dev, cur, target="bad", score="score", id="cid", snapshot=snap)
    mig = r.sections["stability"]["migration"]
    assert mig.n_matched == len(cur) - 100 and len(mig.unmatched_after) == 100
    shuffled = validation_pack(
        dev,
        cur.sample(frac=1, random_state=2),
        target="bad",
        score="score",
        id="cid",
        snapshot=snap.sample(frac=1, random_state=3),
    )
    pd.testing.assert_frame_equal(shuffled.sections["stability"]["migration"].counts, mig.counts)
    tests = r.tests.set_index("test")
    assert "Matrix weighted bandwidth (upper)" in tests.index
    assert tests.loc["Matrix weighted bandwidth (upper)", "estimate"] == pytest.approx(
        mig.mwb_upper
    )
    assert set(r.curves["migration"].columns) == {"grade_before", "grade_after", "count"}
    assert r.curves["migration"]["count"].sum() == mig.n_matched


def test_without_id_the_stability_section_is_absent_with_a_reason():
    dev, cur = _frames()
    r = validation_pack(dev, cur, target="bad", score="score")
    assert "stability" not in r.sections and "no id column" in r.absent["stability"]


def test_thresholds_change_the_status():
    dev, cur = _frames()
    strict = validation_pack(
        dev, cur, target="bad", score="score", thresholds={"auc": (0.99, 0.98)}
    )
    row = strict.tests.set_index("test").loc["AUC (current)"]
    assert row["status"] == "red"
    assert strict.thresholds["auc"] == (0.99, 0.98)
    assert strict.thresholds["psi"] == DEFAULT_THRESHOLDS["psi"]


def test_points_score_is_oriented_and_given_cuts_are_used():
    dev, cur = _frames()
    dev["points"], cur["points"] = 600 - 20 * dev["score"], 600 - 20 * cur["score"]
    r = validation_pack(
        dev.drop(columns="score"), cur.drop(columns="score"), target="bad", score="points"
    )
    assert "higher = safer" in r.meta["score"]
    ref = validation_pack(dev, cur, target="bad", score="score")
    assert r.sections["discrimination"]["auc_current"].estimate == pytest.approx(
        ref.sections["discrimination"]["auc_current"].estimate
    )
    given = validation_pack(dev, cur, target="bad", score="score", grades=[-3, -2, -1])
    assert isinstance(given.grades, RatingGrades) and given.grades.method == "given"
    assert given.grades.n_grades == 4


def test_default_scorecard_path_and_model_checks():
    dev, cur = _frames(2000, 1500, seed=3)
    r = validation_pack(
        dev.drop(columns="score"), cur.drop(columns="score"), target="bad", id="cid"
    )
    assert isinstance(r.model, Scorecard)
    assert "cid" not in r.model.feature_names_in_
    assert "model" in r.sections and "model" not in r.absent
    coef = r.sections["model"]["coefficients"]
    assert bool(coef.drop("const")["sign_ok"].all())
    # VIF against statsmodels' own (regression of each WoE column on the others + const)
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    Z = r.model._woe(dev[list(r.model.feature_names_in_)])
    X = np.column_stack([np.ones(len(Z)), Z])
    want = [variance_inflation_factor(X, j) for j in range(1, X.shape[1])]
    np.testing.assert_allclose(r.sections["model"]["vif"]["vif"].to_numpy(), want, rtol=1e-8)
    iv = r.sections["model"]["iv"]
    z = (iv["iv_current"] - iv["iv_dev"]) / np.sqrt(iv["se_dev"] ** 2 + iv["se_current"] ** 2)
    np.testing.assert_allclose(iv["pvalue"], stats.norm.cdf(z))


def test_model_checks_needs_a_scorecard():
    dev, cur = _frames(500, 500)
    with pytest.raises(InvalidParameterError, match="model"):
        model_checks(object(), dev, cur, dev["bad"], cur["bad"])


@pytest.mark.filterwarnings("ignore::infodiv.exceptions.ZeroCellWarning")
def test_missing_rate_test_matches_statsmodels():
    from statsmodels.stats.proportion import proportions_ztest

    dev, cur = _frames(3000, 2000, seed=4)
    cur.loc[cur.index[:150], "x2"] = np.nan
    rep = representativeness(dev, cur, features=["x2", "x3"], special_values={"x1": [0.0]})
    rates = rep["rates"].set_index(["feature", "kind"])
    for f in ("x2", "x3"):
        k = [int(cur[f].isna().sum()), int(dev[f].isna().sum())]
        z, p = proportions_ztest(k, [len(cur), len(dev)])
        assert rates.loc[(f, "missing"), "statistic"] == pytest.approx(z)
        assert rates.loc[(f, "missing"), "pvalue"] == pytest.approx(p)
    assert rep["psi"].index.name == "feature" or len(rep["psi"]) == 2


@pytest.mark.parametrize(
    "kwargs, arg",
    [
        ({"target": "nope"}, "target"),
        ({"target": "bad", "score": "score", "model": object()}, "score or model"),
        ({"target": "bad", "score": "nope"}, "score"),
        ({"target": "bad", "score": "score", "id": "nope"}, "id"),
        ({"target": "bad", "score": "score", "thresholds": {"psy": (1, 2)}}, "thresholds"),
        ({"target": "bad", "score": "score", "thresholds": {"psi": 0.1}}, "thresholds"),
        ({"target": "bad", "score": "score", "thresholds": {"pvalue": (0.01, 0.05)}}, "thresholds"),
        ({"target": "bad", "score": "score", "features": ["bad"]}, "features"),
        ({"target": "bad", "score": "score", "pd": "x1"}, "pd"),
        ({"target": "bad", "score": "score", "grades": [1, 0]}, "cuts"),
        ({"target": "bad", "score": "score", "score_higher": "up"}, "score_higher"),
        ({"target": "bad", "score": "score", "alpha": 2}, "alpha"),
        ({"target": "bad", "model": "not a model"}, "model"),
    ],
)
def test_bad_inputs_raise_naming_the_argument(kwargs, arg):
    dev, cur = _frames(400, 300)
    with pytest.raises(InvalidParameterError, match=arg):
        validation_pack(dev, cur, **kwargs)


def test_bad_frames_and_targets():
    dev, cur = _frames(400, 300)
    with pytest.raises(InvalidParameterError, match="dev"):
        validation_pack(dev.to_numpy(), cur, target="bad", score="score")
    with pytest.raises(InvalidParameterError, match="target"):
        validation_pack(dev, cur.assign(bad=0), target="bad", score="score")
    with pytest.raises(InvalidParameterError, match="score"):
        validation_pack(dev, cur.assign(score="a"), target="bad", score="score")
    with pytest.raises(InvalidParameterError, match="snapshot"):
        validation_pack(dev, cur, target="bad", score="score", snapshot=cur)


def test_constant_and_mostly_missing_features_do_not_break_the_pack():
    dev, cur = _frames(800, 600)
    dev["flag"], cur["flag"] = 1.0, 1.0
    dev.loc[dev.index[:10], "flag"] = np.nan
    r = validation_pack(dev, cur, target="bad", score="score")
    psi = r.sections["representativeness"]["psi_features"]
    assert "flag" in psi.index
    rates = r.sections["representativeness"]["rates"].set_index("feature")
    assert rates.loc["flag", "rate_dev"] == pytest.approx(10 / 800)


def test_score_only_frames_and_a_single_grade():
    rng = np.random.default_rng(0)
    s = rng.normal(size=2000)
    y = (rng.random(2000) < 1 / (1 + np.exp(-(s - 1)))).astype(int)
    frame = pd.DataFrame({"s": s, "y": y})
    r = validation_pack(frame.iloc[:1200], frame.iloc[1200:], target="y", score="s")
    assert len(r.sections["representativeness"]["psi_features"]) == 0
    assert "PSI (features, largest)" not in set(r.tests["test"])
    one = RatingGrades(np.array([]), "risk", np.array([0.2]), np.array([1.0]), np.array([0.0]))
    with pytest.raises(InvalidParameterError, match="grades"):
        validation_pack(frame.iloc[:1200], frame.iloc[1200:], target="y", score="s", grades=one)


def test_json_columns_have_one_type(score_pack):
    d = json.loads(json.dumps(score_pack.to_dict(), allow_nan=False))
    for section in d["sections"].values():
        for table in section.values():
            if not isinstance(table, list) or not table or not isinstance(table[0], dict):
                continue
            for key in table[0]:
                kinds = {type(r[key]) for r in table if r.get(key) is not None}
                kinds -= {int} if float in kinds else set()  # 0 and 0.5 are both numbers
                assert len(kinds) <= 1, (key, kinds)
    grades = [r["grade"] for r in d["sections"]["calibration"]["jeffreys"]]
    assert grades[-1] == "portfolio" and grades[0] == "1"


def test_warnings_are_kept_in_meta_not_printed():
    import warnings

    dev, cur = _frames(1500, 1000)
    dev["region"] = pd.Categorical(np.where(dev["x2"] > 0, "north", "south"))
    cur["region"] = pd.Categorical(np.where(cur["x2"] > 1, "east", "north"))  # new category
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing reaches the caller
        r = validation_pack(dev, cur, target="bad", score="score")
    assert any("region" in w and "Unseen" in w for w in r.meta["warnings"]), r.meta["warnings"]
    assert json.loads(json.dumps(r.to_dict()))["meta"]["warnings"] == r.meta["warnings"]
