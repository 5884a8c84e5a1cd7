"""monotone_trend="auto": the free binning is compared with the pooled monotone one always.

Issue 16: the comparison ran only when the free binning had more bins than the pooled one, so
a U-shaped feature whose two binnings were both capped at ``max_bins`` was kept monotone and
lost most of its information. Expected values come from hand computations (binomial
log-likelihoods, crosstabs of the bin codes), never from the code under test.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from infodiv.binning import StumpBinner
from infodiv.binning._merge import BinStats, _free_wins


def _stats(bad, good):
    """Unweighted bins: w = n, w^2 = n."""
    bad, good = np.asarray(bad, float), np.asarray(good, float)
    return BinStats(np.column_stack([bad, bad, bad, good, good, good]))


def _loglik(bad, good):
    bad, good = np.asarray(bad, float), np.asarray(good, float)
    n = bad + good
    return float(np.sum(bad * np.log(bad / n) + good * np.log(good / n)))


@pytest.mark.parametrize(
    ("free", "pooled"),
    [
        # U shape, both with 4 bins: the free bins fit far better
        (
            ([300, 100, 100, 300], [700, 900, 900, 700]),
            ([200, 100, 200, 300], [800, 900, 800, 700]),
        ),
        # same sizes, the free bins only a little better
        (
            ([205, 195, 200, 210], [795, 805, 800, 790]),
            ([200, 200, 200, 210], [800, 800, 800, 790]),
        ),
        # free with one more bin, better than pooled by more than ln n but not supported
        # against one bin by 3 ln n (the noise guard)
        (([125, 75, 100, 100], [875, 925, 900, 900]), ([200, 100, 100], [1800, 900, 900])),
        # free with more bins and a real shape
        (([300, 100, 100, 300], [700, 900, 900, 700]), ([400, 400], [1600, 1600])),
    ],
)
def test_free_wins_is_the_two_bic_comparisons_by_hand(free, pooled):
    n = sum(free[0]) + sum(free[1])
    kf, kp = len(free[0]), len(pooled[0])
    l_free, l_pool = _loglik(*free), _loglik(*pooled)
    nb = sum(free[0])
    l_one = nb * np.log(nb / n) + (n - nb) * np.log((n - nb) / n)
    expected = 2 * (l_free - l_pool) > max(kf - kp, 1) * np.log(n) and 2 * (l_free - l_one) > (
        kf - 1
    ) * np.log(n)
    assert _free_wins(_stats(*free), _stats(*pooled)) == expected


def test_free_wins_cases_are_the_intended_ones():
    # the table above covers each branch; hand values (n = 4000, ln n = 8.29): the U beats
    # its pooled bins by 2 dL = 129.7 at equal size (the former rule did not compare)
    u = ([300, 100, 100, 300], [700, 900, 900, 700])
    assert _free_wins(_stats(*u), _stats([200, 100, 200, 300], [800, 900, 800, 700]))  # was False
    assert not _free_wins(
        _stats([205, 195, 200, 210], [795, 805, 800, 790]),
        _stats([200, 200, 200, 210], [800, 800, 800, 790]),
    )
    noise = _stats([125, 75, 100, 100], [875, 925, 900, 900])
    # better than the pooled bins (all at rate 0.1) by 2 dL = 14.0 > ln 4000 = 8.29, but
    # against one bin 14.0 < 3 ln 4000 = 24.9: no shape claimed
    assert not _free_wins(noise, _stats([200, 100, 100], [1800, 900, 900]))
    assert _free_wins(_stats(*u), _stats([400, 400], [1600, 1600]))


def _u_data(seed, n=20_000, shift=0.03):
    rng = np.random.default_rng(seed)
    x = rng.random(n)
    # a U (lowest risk near 0.47) whose right arm is the longer: the AUC direction is +1
    eta = -1.9 + 0.8 * ((x - 0.5 + shift) / 0.2887) ** 2
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return pd.DataFrame({"u": x}), y


def _plugin_iv(codes, y):
    t = pd.crosstab(codes, y)
    b, g = t[1] / t[1].sum(), t[0] / t[0].sum()
    return float(np.sum((b - g) * np.log(b / g)))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("max_bins", "min_share"), [(6, 0.02), (10, 0.01)])
def test_a_capped_u_shape_keeps_its_free_bins(seed, max_bins, min_share):
    X, y = _u_data(seed)
    kw = {"max_bins": max_bins, "min_bin_share": min_share, "random_state": 0}
    auto = StumpBinner(**kw).fit(X, y)
    free = StumpBinner(monotone_trend=None, **kw).fit(X, y)
    # both binnings hit max_bins (the case the former rule never compared)
    assert auto.bins_["u"].n_regular == free.bins_["u"].n_regular == max_bins
    assert auto.trend_["u"] == 0
    codes = auto.transform(X)[:, 0]
    iv_auto, iv_free = _plugin_iv(codes, y), _plugin_iv(free.transform(X)[:, 0], y)
    assert iv_auto == pytest.approx(iv_free, rel=0.03)
    # the event rate by hand is lowest inside, not at an end
    rate = pd.Series(y).groupby(codes).mean().to_numpy()
    assert 0 < rate.argmin() < len(rate) - 1
    # the monotone binning of the same feature loses much of the information
    mono = StumpBinner(monotone_trend="increasing", **kw).fit(X, y)
    assert _plugin_iv(mono.transform(X)[:, 0], y) < 0.8 * iv_free


def test_a_capped_monotone_feature_stays_monotone():
    rng = np.random.default_rng(5)
    n = 20_000
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1 + 0.8 * x)))).astype(int)
    b = StumpBinner(max_bins=6, min_bin_share=0.02, random_state=0).fit(pd.DataFrame({"x": x}), y)
    assert b.trend_["x"] == 1 and b.bins_["x"].n_regular == 6
    codes = b.transform(pd.DataFrame({"x": x}))[:, 0]
    rate = pd.Series(y).groupby(codes).mean().to_numpy()
    assert np.all(np.diff(rate) > 0)


@pytest.mark.parametrize("n", [5000, 50_000])
def test_noise_stays_monotone_when_both_binnings_are_capped(n):
    # 40 noise columns, continuous and discrete, with a small cap: both binnings often reach
    # max_bins. The former rule made 3 of 40 (n = 5000) and 1 of 40 (n = 50,000) free; the
    # "always compare" rule alone (penalty max(k_free - k_pool, 1) ln n) made 6 and 8 free
    rng = np.random.default_rng(13)
    X = pd.DataFrame(rng.normal(size=(n, 40)), columns=[f"n{j}" for j in range(40)])
    X.iloc[:, 20:] = rng.poisson(3, size=(n, 20))
    y = (rng.random(n) < 0.3).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b = StumpBinner(max_bins=6, min_bin_share=0.02, random_state=0).fit(X, y)
    assert sum(t == 0 for t in b.trend_.values()) <= 1
