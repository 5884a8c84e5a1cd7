"""Estimators refuse bad X, y, sample_weight and parameters with InvalidParameterError naming
the argument (issue 14, estimator side of tests/test_fuzz.py).

Before the fix these inputs escaped as scikit-learn's ValueError (no ``X`` in the message, or
not an InvalidParameterError), narwhals' DuplicateError, xgboost's XGBoostError, NumPy's
ComplexWarning, ZeroDivisionError or statsmodels' RuntimeWarning.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from infodiv import PNCriterion, Scorecard, StumpBinner, WoEEncoder
from infodiv.exceptions import InfodivWarning, InvalidParameterError
from infodiv.fairness import FairnessFrontier

N = 60


def _names(message: str, name: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", message) is not None


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    X = pd.DataFrame(
        {
            "income": rng.normal(3000, 800, N).round(2),
            "age": rng.integers(20, 70, N),
            "region": pd.Categorical(rng.choice(["north", "south", "east"], N)),
        }
    )
    y = (rng.random(N) < 1 / (1 + np.exp((X["income"] - 3000) / 600))).astype(int)
    return X, y.to_numpy()


def _estimators():
    return [
        StumpBinner(n_estimators=5, random_state=0),
        WoEEncoder(random_state=0),
        Scorecard(random_state=0, cross_fit=False),
    ]


def _refused(call, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfodivWarning)
        with pytest.raises(InvalidParameterError) as info:
            call()
    assert _names(str(info.value), name), str(info.value)
    return str(info.value)


BAD_X = {
    "None": None,
    "string": "X",
    "ragged lists": [[1, 2], [3]],
    "complex": np.ones((N, 2)) + 1j,
}


@pytest.mark.parametrize("est", _estimators(), ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("what", list(BAD_X))
def test_bad_X_at_fit_names_X(data, est, what):
    _, y = data
    X = BAD_X[what]
    yy = y[: len(X)] if isinstance(X, list) else y
    _refused(lambda: est.fit(X, yy), "X")


@pytest.mark.parametrize("est", _estimators(), ids=lambda e: type(e).__name__)
def test_empty_frames_keep_scikit_learns_wording_behind_X(data, est):
    X, y = data
    msg = _refused(lambda: est.fit(X.iloc[:0], y[:0]), "X")
    assert "Found array with 0 sample(s)" in msg
    msg = _refused(lambda: est.fit(X[[]], y), "X")
    assert re.search(r"0 feature\(s\) \(shape=\(\d+, 0\)\) while a minimum of \d+ is required", msg)


@pytest.mark.parametrize("est", _estimators(), ids=lambda e: type(e).__name__)
def test_duplicated_column_names_named(data, est):
    X, y = data
    Xd = pd.concat([X[["income"]], X[["income", "region"]]], axis=1)
    msg = _refused(lambda: est.fit(Xd, y), "X")
    assert "'income'" in msg


@pytest.mark.parametrize("est", _estimators(), ids=lambda e: type(e).__name__)
def test_transform_on_other_columns_names_X(data, est):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfodivWarning)
        est.fit(X, y)
    apply = est.predict_proba if isinstance(est, Scorecard) else est.transform
    msg = _refused(lambda: apply(X.drop(columns="age")), "X")
    assert "feature names should match" in msg
    _refused(lambda: apply(X.set_axis(["a", "b", "c"], axis=1)), "X")
    msg = _refused(lambda: apply(X[["income", "age"]].to_numpy()), "X")
    assert re.search(r"X has 2 features, but \w+ is expecting 3 features", msg)
    _refused(lambda: apply(None), "X")
    _refused(lambda: apply([[1, 2], [3]]), "X")


BAD_Y = {
    "2-D": lambda y: np.column_stack([y, y]),
    "dict": lambda y: {"a": 1},
    "string scalar": lambda y: "y",
    "complex": lambda y: y + 1j,
    "mixed label types": lambda y: np.array([("1" if v else 0) for v in y], dtype=object),
    "ragged": lambda y: [[0, 1], [1]],
}


@pytest.mark.parametrize("est", _estimators(), ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("what", list(BAD_Y))
def test_bad_y_names_y(data, est, what):
    X, y = data
    _refused(lambda: est.fit(X, BAD_Y[what](y)), "y")


BAD_W = {
    "words": lambda: np.array(["heavy"] * N),
    "dict": lambda: {"a": 1.0},
    "complex": lambda: np.ones(N) + 1j,
}


@pytest.mark.parametrize("est", _estimators(), ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("what", list(BAD_W))
def test_bad_sample_weight_names_it(data, est, what):
    X, y = data
    _refused(lambda: est.fit(X, y, sample_weight=BAD_W[what]()), "sample_weight")


@pytest.mark.parametrize("cv", ["5", "", "nope", {"a": 1}, [[1, 2], [3]], [[3]], True, 1])
def test_woe_encoder_cv_refused_at_fit(data, cv):
    X, y = data
    _refused(lambda: WoEEncoder(cv=cv, random_state=0).fit(X, y), "cv")


def test_woe_encoder_explicit_folds_equal_the_same_splitter(data):
    """A list of (train, test) index pairs is still accepted, and gives the same cross-fitted
    encoding as the splitter that made it."""
    X, y = data
    skf = StratifiedKFold(3, shuffle=True, random_state=1)
    pairs = list(skf.split(np.zeros(N), y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfodivWarning)
        a = WoEEncoder(cv=pairs, random_state=0).fit_transform(X, y)
        b = WoEEncoder(cv=skf, random_state=0).fit_transform(X, y)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_woe_encoder_unknown_value_must_be_finite(data, value):
    X, y = data
    _refused(lambda: WoEEncoder(unknown_value=value).fit(X, y), "unknown_value")


@pytest.mark.parametrize("lr", [1e308, 5e-324, 1.5])
def test_stump_binner_learning_rate_outside_xgboost_range(data, lr):
    X, y = data
    _refused(lambda: StumpBinner(learning_rate=lr).fit(X, y), "learning_rate")


def test_scorecard_pdo_overflow_refused(data):
    X, y = data
    _refused(lambda: Scorecard(pdo=1e308, cross_fit=False).fit(X, y), "pdo")


def test_scorecard_zero_weights_match_an_independent_weighted_logistic_fit(data):
    """Rows of zero weight (statsmodels divided by them: NaN/overflow warnings) are fitted;
    the coefficients are the weighted MLE, checked with scikit-learn's unpenalised
    LogisticRegression on the same WoE columns."""
    X, y = data
    rng = np.random.default_rng(0)
    w = rng.uniform(0.5, 2.0, N)
    w[rng.random(N) < 0.3] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", InfodivWarning)
        card = Scorecard(random_state=0, cross_fit=False).fit(X, y, sample_weight=w)
    assert np.isfinite(card.params_).all() and np.isfinite(card.bse_).all()
    Z = card.encoder_.transform(X)[:, card._keep]
    ref = LogisticRegression(penalty=None, tol=1e-12, max_iter=10_000).fit(
        Z, card.classes_[1] == y, sample_weight=w
    )
    np.testing.assert_allclose(card.params_["const"], ref.intercept_[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        card.params_[card.features_].to_numpy(), ref.coef_[0], rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("eps", [5e-324, 1e-9])
def test_pn_criterion_epsilon_underflow_refused(eps):
    x = np.random.default_rng(1).normal(size=40)
    _refused(lambda: PNCriterion(family="normal", epsilon=eps).fit(x), "epsilon")


@pytest.mark.parametrize(
    "X",
    [
        None,
        np.array([0.1, np.nan, 0.3]),
        np.array([0.1, np.inf, 0.3]),
        np.array([]),
        np.ones(5) + 1j,
    ],
    ids=["None", "NaN", "inf", "empty", "complex"],
)
def test_pn_criterion_bad_X_names_X(X):
    _refused(lambda: PNCriterion(family="normal").fit(X), "X")


def test_frontier_validation_size_bounds_and_split_error(data):
    X, y = data
    Xf = X.assign(group=np.where(np.arange(N) % 3 == 0, "a", "b"))
    _refused(
        lambda: FairnessFrontier(protected="group", validation_size=5e-324).fit(Xf, y),
        "validation_size",
    )
    # inside the bounds, but 1% of 60 rows is one row for 4 class x group strata:
    # scikit-learn's split error, now naming validation_size
    msg = _refused(
        lambda: FairnessFrontier(protected="group", validation_size=0.01).fit(Xf, y),
        "validation_size",
    )
    assert "should be greater or equal to the number of classes" in msg
