"""The numpy cell booster (``booster="cells"``) against xgboost on the same cell tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infodiv.binning import StumpBinner
from infodiv.binning._cellboost import boost_cells
from infodiv.binning._xgb import _params, _splits_of, _train
from infodiv.exceptions import InvalidParameterError


def _table(rng: np.random.Generator, C: int, weighted: bool):
    """A random cell table: one entry per non-empty (cell, class), monotone or U effects."""
    if rng.random() < 0.5:
        eff = rng.normal(size=C).cumsum() * 0.3
    else:
        eff = np.linspace(-1, 1, C) ** 2 * 2
    cells, ys, ws = [], [], []
    for c in range(C):
        if rng.random() < 0.1:  # an empty cell
            continue
        n = int(rng.integers(20, 2000))
        nb = rng.binomial(n, 1 / (1 + np.exp(-(eff[c] - 1.5))))
        for k, nk in ((0, n - nb), (1, nb)):
            if nk:
                cells.append(c)
                ys.append(k)
                ws.append(rng.gamma(2, 1, nk).sum() if weighted else float(nk))
    w = np.asarray(ws)
    return np.asarray(cells, float), np.asarray(ys, float), w / w.mean()


@pytest.mark.parametrize("seed", range(24))
def test_cell_booster_gives_xgboosts_splits(seed):
    rng = np.random.default_rng(seed)
    C = int(rng.integers(5, 60))
    eta = float(rng.choice([0.3, 0.1, 1.0, 0.05]))
    R = int(rng.choice([10, 50, 100]))
    lam = float(rng.choice([0.0, 1.0]))
    mcw = float(rng.choice([1e-9, 1.0]))
    cons = int(rng.choice([0, 1, -1]))
    cell, y, w = _table(rng, C, weighted=seed % 2 == 1)
    p = _params(
        learning_rate=eta, n_cells=C + 1, nthread=1, seed=0, device="cpu", constraints=[cons]
    )
    p["lambda"], p["min_child_weight"] = lam, mcw
    sx, gx, tx = _splits_of(_train(cell[:, None], y, w, p, R), 1)[0]
    (sn, gn, tn) = boost_cells(
        [(cell, y, w)],
        n_estimators=R,
        learning_rate=eta,
        constraints=[cons],
        reg_lambda=lam,
        min_child_weight=mcw,
    )[0]
    np.testing.assert_array_equal(sn, sx)  # the same thresholds
    np.testing.assert_array_equal(tn, tx)  # chosen by the same number of trees
    # summed gains: float32 rounding, and xgboost prints them with 9 digits (measured <= 7e-4
    # relative on 300 such tables, where a gain is a small difference of large terms)
    np.testing.assert_allclose(gn, gx, rtol=2e-3, atol=1e-7)


def test_all_features_at_once_equal_one_at_a_time():
    rng = np.random.default_rng(5)
    tables = [_table(rng, int(rng.integers(3, 50)), weighted=True) for _ in range(6)]
    cons = [0, 1, -1, 0, 1, -1]
    together = boost_cells(tables, n_estimators=30, learning_rate=0.3, constraints=cons)
    for t, c, got in zip(tables, cons, together, strict=True):
        alone = boost_cells([t], n_estimators=30, learning_rate=0.3, constraints=[c])[0]
        for a, b in zip(got, alone, strict=True):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_binner_bins_equal_with_either_booster(seed):
    rng = np.random.default_rng(seed)
    n = 4000
    X = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "u": rng.uniform(-2, 2, n),
            "k": rng.poisson(4, n).astype(float),
            "c": pd.Categorical(rng.choice(list("abcde"), n)),
        }
    )
    X.loc[rng.random(n) < 0.05, "x"] = np.nan
    eta = X["x"].fillna(0) + X["u"] ** 2 - 1.5 + 0.1 * X["k"]
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    w = rng.gamma(2, 1, n) if seed else None
    kw = {"random_state": seed, "special_values": {"k": [0.0]}}
    if seed == 2:
        kw.update(monotone_trend={"u": None, "x": "increasing"}, merge_alpha=0.05, max_bins=6)
    a = StumpBinner(booster="cells", **kw).fit(X, y, sample_weight=w)
    b = StumpBinner(booster="xgboost", **kw).fit(X, y, sample_weight=w)
    for f in X.columns:
        assert a.bins_[f] == b.bins_[f]
    cols = ["feature", "split", "trees", "kept"]
    pd.testing.assert_frame_equal(a.splits_[cols], b.splits_[cols])
    np.testing.assert_allclose(a.splits_["gain"], b.splits_["gain"], rtol=2e-3)
    assert a.device_ == "cpu"


def test_cells_booster_refuses_the_joint_strategy():
    X = pd.DataFrame({"x": np.arange(100.0)})
    y = np.arange(100) % 2
    with pytest.raises(InvalidParameterError, match="booster='cells'"):
        StumpBinner(booster="cells", strategy="joint").fit(X, y)
