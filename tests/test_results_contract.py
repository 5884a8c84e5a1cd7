"""Every public result type honours the results contract of ``infodiv.core``.

The walk finds every class that derives from :class:`infodiv.core.ResultBase` among the public
names (``__all__``) of the package and its subpackages, and requires a factory below for each: a
new result type without one fails :func:`test_every_public_result_type_has_a_factory`. Each
factory builds a small real result, which ``check_result_contract`` checks clause by clause.
"""

from __future__ import annotations

import importlib

import matplotlib
import numpy as np
import pandas as pd
import pytest

import infodiv as idv
from infodiv.core import ResultBase
from tests.reference.contract import check_result_contract

matplotlib.use("Agg")

SUBPACKAGES = [
    "infodiv",
    "infodiv.core",
    "infodiv.scale",
    "infodiv.binning",
    "infodiv.credit",
    "infodiv.fairness",
    "infodiv.causal",
    "infodiv.sample_size",
    "infodiv.plotting",
    "infodiv.reporting",
]


def _public_result_types() -> set[type]:
    found = set()
    for name in SUBPACKAGES:
        mod = importlib.import_module(name)
        for attr in mod.__all__:
            obj = getattr(mod, attr)
            if isinstance(obj, type) and issubclass(obj, ResultBase) and obj is not ResultBase:
                found.add(obj)
    return found


def _credit_data(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = rng.uniform(size=n)
    y = rng.binomial(1, 1 / (1 + np.exp(-(x1 - 1.5))))
    return pd.DataFrame({"x1": x1, "x2": x2}), pd.Series(y, name="y")


def _divergence():
    return idv.divergence([30, 50, 20], [20, 50, 30], kind="jeffreys")


def _woe_table():
    X, y = _credit_data()
    return idv.woe_table(X["x1"], y, bins=5)


def _psi():
    rng = np.random.default_rng(1)
    return idv.psi(rng.normal(size=2000), rng.normal(0.1, 1, size=2000), bins=5)


def _auc():
    from infodiv.credit import auc

    X, y = _credit_data()
    return auc(y, X["x1"])


def _auc_difference():
    from infodiv.credit import auc_difference

    X, y = _credit_data()
    return auc_difference(y, X["x1"], X["x1"] + X["x2"])


def _calibration():
    from infodiv.credit import calibration_summary

    X, y = _credit_data()
    return calibration_summary(y, 1 / (1 + np.exp(-(X["x1"] - 1.5))))


def _scorecard():
    X, y = _credit_data()
    return idv.Scorecard(random_state=0).fit(X, y).result_


def _encoding_comparison():
    from infodiv.credit import compare_encodings

    X, y = _credit_data()
    return compare_encodings(X[:2000], y[:2000], X[2000:], y[2000:], n_estimators=5, random_state=0)


def _protected():
    X, y = _credit_data()
    g = pd.Series(np.where(X["x2"] > 0.5, "a", "b"), name="g")
    return idv.protected_divergence(X[["x1"]], g, y, bins=4)


def _approval():
    from infodiv.fairness import approval_metrics

    X, y = _credit_data()
    g = np.where(X["x2"] > 0.5, "a", "b")
    return approval_metrics(X["x1"].to_numpy(), g, y.to_numpy(), approval_rate=0.5, reference="a")


def _frontier():
    X, y = _credit_data(4000)
    X = X.assign(g=np.where(np.random.default_rng(3).uniform(size=len(X)) > 0.5, "a", "b"))
    ff = idv.FairnessFrontier(protected="g", n_points=2, max_features=2, random_state=0)
    return ff.fit(X, y).result_


def _alternatives():
    X, y = _credit_data(4000)
    X = X.assign(g=np.where(np.random.default_rng(3).uniform(size=len(X)) > 0.5, "a", "b"))
    ff = idv.FairnessFrontier(protected="g", n_points=2, max_features=2, random_state=0)
    return ff.fit(X, y).alternatives(approval_rate=0.5, reference="a")


def _causal_data():
    rng = np.random.default_rng(21)
    n = 400
    X = rng.uniform(-1, 1, size=(n, 1))
    A = rng.binomial(1, 1 / (1 + np.exp(-0.8 * X[:, 0])))
    Y = np.clip(0.4 + 0.2 * A + 0.2 * X[:, 0] + 0.2 * rng.normal(size=n), 0, 1)
    return X, A, Y


def _causal_bounds():
    from infodiv.causal import DivergenceBounds

    X, A, Y = _causal_data()
    est = DivergenceBounds("kl", support=(0.0, 1.0), n_folds=2, random_state=0)
    return est.fit(X, A, Y).result_


def _sensitivity():
    from infodiv.causal import sensitivity_curve

    X, A, Y = _causal_data()
    return sensitivity_curve(
        X, A, Y, support=(0.0, 1.0), rho=[0.0, 0.05], Lambda=[1.0, 2.0], n_folds=2, random_state=0
    )


def _pn():
    x = np.random.default_rng(0).poisson(3.0, size=300)
    return idv.PNCriterion(family="poisson").fit(x).result_


def _data_starved():
    return idv.data_starved(_divergence())


def _grade_data():
    x, y = _credit_data()
    return x["x1"].to_numpy(), y.to_numpy()


def _rating_grades():
    from infodiv.credit import rating_grades

    s, y = _grade_data()
    return rating_grades(s, y)


def _grade_test():
    from infodiv.credit import jeffreys_test

    s, y = _grade_data()
    g = _rating_grades()
    return jeffreys_test(y, g.pd_of(s), g.assign(s))


def _stat_test():
    from infodiv.credit import spiegelhalter_test

    s, y = _grade_data()
    return spiegelhalter_test(y, _rating_grades().pd_of(s))


def _ks_result():
    from infodiv.credit import ks_test

    s, y = _grade_data()
    return ks_test(y, s, n_resamples=50)


def _concentration():
    from infodiv.credit import concentration

    return concentration(counts=[10, 30, 40, 20])


def _migration():
    from infodiv.credit import migration_matrix

    before = pd.Series([1, 1, 2, 2, 3, 3], index=list("abcdef"))
    after = pd.Series([1, 2, 2, 3, 3, 1], index=list("fedcba"))
    return migration_matrix(before, after)


FACTORIES = {
    "RatingGrades": _rating_grades,
    "GradeTestResult": _grade_test,
    "StatTestResult": _stat_test,
    "KSResult": _ks_result,
    "ConcentrationResult": _concentration,
    "MigrationResult": _migration,
    "DivergenceResult": _divergence,
    "WoETable": _woe_table,
    "PSIResult": _psi,
    "AUCResult": _auc,
    "AUCDifference": _auc_difference,
    "Calibration": _calibration,
    "ScorecardResult": _scorecard,
    "EncodingComparison": _encoding_comparison,
    "ProtectedDivergence": _protected,
    "ApprovalMetrics": _approval,
    "FrontierResult": _frontier,
    "AlternativesResult": _alternatives,
    "CausalBounds": _causal_bounds,
    "SensitivityCurve": _sensitivity,
    "PNResult": _pn,
    "DataStarvedResult": _data_starved,
}


def test_every_public_result_type_has_a_factory():
    names = {t.__name__ for t in _public_result_types()}
    assert names <= set(FACTORIES), (
        f"result types without a contract check: {names - set(FACTORIES)}"
    )
    assert set(FACTORIES) <= names, f"factories for non-public types: {set(FACTORIES) - names}"


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_result_honours_the_contract(name):
    res = FACTORIES[name]()
    assert type(res).__name__ == name
    check_result_contract(res)
