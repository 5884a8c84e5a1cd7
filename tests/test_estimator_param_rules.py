"""Issue 14 part 6: estimators check their constructor parameters declaratively in ``fit``.

Each case was accepted (or misread) before: a bool read as a number, a string read as its
characters, a truthy string as a flag.
"""

import numpy as np
import pandas as pd
import pytest

from infodiv.binning import StumpBinner
from infodiv.causal import DivergenceBounds, MSMBounds
from infodiv.credit import Scorecard, WoEEncoder
from infodiv.exceptions import InvalidParameterError
from infodiv.fairness import FairnessFrontier
from infodiv.sample_size import PNCriterion


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x": rng.normal(size=400), "g": rng.choice(["a", "b"], 400)})
    y = (rng.random(400) < 1 / (1 + np.exp(-X["x"]))).astype(int)
    return X, y


@pytest.mark.parametrize(
    "est,name",
    [
        (StumpBinner(max_bins=True), "max_bins"),
        (StumpBinner(learning_rate="0.3"), "learning_rate"),
        (StumpBinner(strict_device="yes"), "strict_device"),
        (WoEEncoder(bins="5"), "bins"),
        (WoEEncoder(shuffle=1), "shuffle"),
        (Scorecard(cross_fit="no"), "cross_fit"),
        (Scorecard(pdo=True), "pdo"),
        (FairnessFrontier(protected="g", n_points=True), "n_points"),
        (FairnessFrontier(protected="g", exclude="x"), "exclude"),
    ],
)
def test_supervised_estimators_refuse_bad_parameters(data, est, name):
    X, y = data
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of {type(est).__name__}"):
        est.fit(X[["x"]] if not isinstance(est, FairnessFrontier) else X, y)


def test_sample_size_and_causal_estimators_refuse_bad_parameters():
    rng = np.random.default_rng(1)
    with pytest.raises(InvalidParameterError, match="'order' parameter of PNCriterion"):
        PNCriterion(order=True).fit(rng.normal(size=50))
    X = rng.normal(size=(200, 2))
    A = rng.integers(0, 2, 200)
    Y = rng.random(200)
    with pytest.raises(InvalidParameterError, match="'Lambda' parameter of MSMBounds"):
        MSMBounds(Lambda=True, support=(0, 1)).fit(X, A, Y)
    with pytest.raises(InvalidParameterError, match="'n_folds' parameter of DivergenceBounds"):
        DivergenceBounds("kl", support=(0, 1), n_folds=2.0).fit(X, A, Y)
