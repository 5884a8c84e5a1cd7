"""``StumpBinner(n_jobs=k)`` prepares and counts columns in threads: the bins, the counts and the
errors do not depend on ``k``; and above the quantile sample size the fine cells of a column
without missing values come from one sample of rows shared by the columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infodiv.binning import StumpBinner
from infodiv.exceptions import InvalidParameterError


def _frame(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    df = pd.DataFrame(
        {
            "a": x,
            "b": np.where(rng.random(n) < 0.1, np.nan, rng.lognormal(size=n)),
            "c": rng.poisson(3, n).astype(float),
            "d": pd.Categorical(rng.choice(list("pqrs"), n)),
            "e": np.where(rng.random(n) < 0.05, -999.0, rng.random(n)),
        }
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    return df, y


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("weighted", [False, True])
def test_threads_give_the_bins_of_one_thread(seed, weighted):
    df, y = _frame(3_000, seed)
    w = np.random.default_rng(seed).uniform(0.5, 2.0, len(y)) if weighted else None
    kw = dict(random_state=0, special_values={"e": [-999.0]})
    one = StumpBinner(n_jobs=None, **kw).fit(df, y, sample_weight=w)
    two = StumpBinner(n_jobs=2, **kw).fit(df, y, sample_weight=w)
    assert {f: b.to_dict() for f, b in one.bins_.items()} == {
        f: b.to_dict() for f, b in two.bins_.items()
    }
    pd.testing.assert_frame_equal(one.summary(), two.summary())


def test_threads_raise_the_first_bad_column():
    df, y = _frame(500, 0)
    df["b"] = np.nan  # only missing values
    df["c"] = 1.0  # constant, after b
    for n_jobs in (None, 2):
        with pytest.raises(InvalidParameterError, match="'b' has only missing"):
            StumpBinner(n_jobs=n_jobs).fit(df, y)


def test_large_columns_share_one_row_sample(monkeypatch):
    """Above the sample size, two identical columns without missing values get identical
    cells (one sample of rows), and a column with missing values is cut on the non-missing
    values of that sample; both checked against quantiles computed here from the sample."""
    import infodiv.binning._columns as columns
    from infodiv.core import quantile_edges

    monkeypatch.setattr(columns, "SAMPLE_SIZE", 1_000)
    rng = np.random.default_rng(3)
    n = 5_000
    x = rng.normal(size=n)
    z = x.copy()
    z[rng.random(n) < 0.2] = np.nan
    y = (rng.random(n) < 0.3).astype(int)
    w = np.ones(n)
    seed = 7
    cache: dict[int, np.ndarray] = {}
    rx = columns._compress(x, y, w, 20, seed, 0.03, "x", unit=True, samples=cache)[0]
    rx2 = columns._compress(x + 0.0, y, w, 20, seed, 0.03, "x2", unit=True, samples=cache)[0]
    np.testing.assert_array_equal(rx, rx2)
    pick = np.sort(np.random.default_rng(seed).choice(n, 1_000, replace=False))
    want = np.asarray(quantile_edges(x[pick], 20, None, "x", min_share=0.03))
    np.testing.assert_array_equal(np.unique(rx)[1:], want[want > x.min()])
    rz = columns._compress(z, y, w, 20, seed, 0.03, "z", unit=True, samples=cache)[0]
    sample = z[pick][~np.isnan(z[pick])]
    want = np.asarray(quantile_edges(sample, 20, None, "z", min_share=0.03))
    np.testing.assert_array_equal(np.unique(rz)[1:], want[want > np.nanmin(z)])
