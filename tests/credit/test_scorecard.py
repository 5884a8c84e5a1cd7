"""Scorecard: points scaling, points table, coefficients and SEs, selection, export, errors."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from infodiv.binning._stump import StumpBinner
from infodiv.credit._scorecard import Scorecard
from infodiv.credit._woe_encoder import WoEEncoder


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 5000
    X = pd.DataFrame(
        {
            "x1": rng.normal(size=n),
            "x2": rng.normal(size=n),
            "noise": rng.normal(size=n),
            "c": pd.Categorical(rng.choice(list("abc"), n)),
        }
    )
    eta = -1.2 + 0.9 * X["x1"] - 0.6 * X["x2"] + 0.5 * (X["c"] == "a")
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int).to_numpy()
    return X, y


@pytest.fixture(scope="module")
def card(data):
    X, y = data
    return Scorecard(pdo=20, base_score=600, base_odds=50, random_state=0).fit(X, y)


def test_pdo_points_double_the_odds(card, data):
    X, _ = data
    s = card.score(X)
    p = card.predict_proba(X)[:, 1]
    good_odds = (1 - p) / p
    # closed form of the scaling: base_score at base_odds, +pdo points per doubling
    np.testing.assert_allclose(s, 600 + 20 * np.log2(good_odds / 50), rtol=1e-12)
    i, j = np.argsort(s)[[100, -100]]
    assert good_odds[j] / good_odds[i] == pytest.approx(2 ** ((s[j] - s[i]) / 20), rel=1e-10)
    assert len(np.unique(np.round(s, 6))) > 10


def test_points_table_adds_up_to_the_score(card, data):
    X, _ = data
    table = card.points_table_
    total = np.zeros(len(X))
    for f in card.features_:
        codes = card.encoder_.bins_[f].codes(X[f])
        lookup = table[table["feature"] == f].set_index("code")["points"]
        total += lookup.loc[codes].to_numpy()
    np.testing.assert_allclose(total, card.score(X), rtol=1e-12)
    np.testing.assert_allclose(card.points(X).sum(axis=1).to_numpy(), card.score(X), rtol=1e-12)


def test_coefficients_and_ses_match_independent_fits(data):
    X, y = data
    card = Scorecard(cross_fit=False, ci_method="wald", random_state=0).fit(X, y)
    Z = card.encoder_.transform(X)[:, card._keep]
    lr = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(Z, y)
    np.testing.assert_allclose(card.params_.iloc[1:].to_numpy(), lr.coef_[0], rtol=1e-4, atol=1e-5)
    assert card.params_["const"] == pytest.approx(lr.intercept_[0], rel=1e-4, abs=1e-5)
    # SEs: inverse Fisher information at the estimate
    A = np.column_stack([np.ones(len(Z)), Z])
    p = 1 / (1 + np.exp(-A @ card.params_.to_numpy()))
    cov = np.linalg.inv(A.T @ (A * (p * (1 - p))[:, None]))
    np.testing.assert_allclose(card.bse_.to_numpy(), np.sqrt(np.diag(cov)), rtol=1e-6)
    ci = card.conf_int(0.1)
    assert (ci.low < card.params_).all() and (card.params_ < ci.high).all()


def test_woe_coefficients_are_positive_and_noise_is_dropped_by_iv(data):
    X, y = data
    card = Scorecard(min_iv=0.02, random_state=0).fit(X, y)
    assert "noise" not in card.features_ and "noise" in card.dropped_
    assert (card.params_.drop("const") > 0).all()  # WoE = ln(bad/good): positive slopes
    summ = card.summary()
    assert {"estimate", "se", "statistic", "pvalue", "ci_low", "ci_high", "iv"} <= set(summ.columns)


def test_cross_fit_uses_the_cross_fitted_encoding(data):
    X, y = data
    a = Scorecard(random_state=0).fit(X, y)
    enc = WoEEncoder(random_state=0)
    Z = enc.fit_transform(X, y)[:, a._keep]
    lr = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(Z, y)
    np.testing.assert_allclose(a.params_.iloc[1:].to_numpy(), lr.coef_[0], rtol=1e-4, atol=1e-5)


def test_predict_and_labels(data):
    X, y = data
    labels = np.where(y == 1, "bad", "good")
    card = Scorecard(
        event="bad",
        random_state=0,
        encoder=WoEEncoder(binner=StumpBinner(n_estimators=20), random_state=0),
    )
    card.fit(X, labels)
    assert list(card.classes_) == ["good", "bad"]
    proba = card.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    pred = card.predict(X)
    assert set(pred) <= {"good", "bad"}
    assert np.array_equal(pred == "bad", proba[:, 1] > 0.5)
    assert card.score(X, labels) == pytest.approx(np.mean(pred == labels))


def test_export_csv_and_json(card, tmp_path):
    csv = card.export(tmp_path / "points.csv")
    back = pd.read_csv(csv)
    np.testing.assert_allclose(back["points"], card.points_table_["points"])
    assert list(back.columns) == ["feature", "bin", "code", "woe", "coef", "points"]
    doc = json.loads(card.export(tmp_path / "card.json").read_text())
    assert doc["pdo"] == 20 and doc["base_score"] == 600 and doc["base_odds"] == 50
    assert [f["feature"] for f in doc["features"]] == card.features_
    with pytest.raises(ValueError, match=r"\.csv or \.json"):
        card.export(tmp_path / "card.txt")


@pytest.mark.parametrize(
    "y_bad, match",
    [
        (lambda y: np.ones_like(y), "only one class"),
        (lambda y: np.arange(len(y)) % 3, "Only binary classification"),
        (lambda y: y[:-5], "length mismatch"),
    ],
)
def test_bad_target_errors(data, y_bad, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        Scorecard().fit(X, y_bad(y))


def test_bad_scaling_parameters(data):
    X, y = data
    for params, match in [
        ({"pdo": 0}, "pdo"),
        ({"base_odds": -1}, "base_odds"),
        ({"min_iv": -0.1}, "min_iv"),
    ]:
        with pytest.raises(ValueError, match=match):
            Scorecard(**params).fit(X, y)
