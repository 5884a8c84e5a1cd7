"""Cross-fitting by subtraction (issue 16): ``WoEEncoder.fit_transform`` counts the rows once in
fine cells cut on all rows, and learns the bins of fold k from the other folds' table.

The reference here refits every fold from its own training rows, independently of the
subtraction code: the training rows are counted by ``CountTable.from_frame`` in the same cells
(the cells ``StumpBinner.fit`` cuts on all rows, ``_cell_table``), the bins are learned by the
public ``StumpBinner.fit_counts``, the WoE comes from the count table's IV result and the
fold's test rows are coded by ``FeatureBins.codes`` on their raw values.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold, StratifiedKFold

from infodiv.binning import StumpBinner, crossfit_counts, crossfit_iv_test
from infodiv.core import UNSEEN, CountTable
from infodiv.credit import WoEEncoder
from infodiv.credit._woe import woe_from_result


def _data(seed: int, n: int = 3000) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    u = rng.uniform(-2, 2, n)
    k = rng.poisson(3, n).astype(float)
    x[rng.random(n) < 0.05] = np.nan  # missing values
    k[rng.random(n) < 0.04] = -1.0  # a special value
    # a categorical column with a rare level: some training folds may lack it
    c = rng.choice(list("abcdefg"), n, p=[0.3, 0.2, 0.2, 0.1, 0.1, 0.0995, 0.0005])
    eff = {"a": -0.5, "b": 0.0, "c": 0.3, "d": 0.6, "e": -0.2, "f": 0.1, "g": 1.0}
    eta = -1.0 + 0.8 * np.nan_to_num(x) + 0.7 * (u**2 - 1.3) + 0.2 * k
    eta += np.asarray([eff[v] for v in c])
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    X = pd.DataFrame({"x": x, "u": u, "k": k, "c": pd.Categorical(c, categories=list("gfedcba"))})
    return X, y


def _reference(X, y, w, folds, params, woe_sign="bad/good", unknown=0.0):
    """Refit each fold on its training rows, in the cells fit cuts on all rows."""
    cells, _ = StumpBinner(**params)._cell_table(X, y, w, weights="sampling")
    out = np.empty((len(X), X.shape[1]))
    fold_bins = []
    for tr, te in folds:
        table = CountTable.from_frame(
            X.iloc[tr], cells, {"class": y[tr]}, sample_weight=w[tr], weights="sampling"
        )
        b = StumpBinner(**params).fit_counts(table, cells)
        fold_bins.append(b.bins_)
        for j, f in enumerate(X.columns):
            iv = b.counts_.divergence(f, "class", 1, 0, "jeffreys")
            woe = woe_from_result(iv, woe_sign)
            codes = b.bins_[f].codes(X[f].iloc[te])
            enc = np.full(len(te), np.nan)
            ok = codes != UNSEEN
            enc[ok] = woe[codes[ok]]
            enc[np.isnan(enc)] = unknown
            out[te, j] = enc
    return out, fold_bins


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_subtraction_equals_refitting_each_fold_on_the_same_cells(seed, weighted):
    X, y = _data(seed)
    rng = np.random.default_rng(100 + seed)
    w = rng.gamma(2.0, 1.0, len(y)) if weighted else np.ones(len(y))
    params = {"random_state": seed, "special_values": {"k": [-1.0]}}
    if seed % 2:
        params.update(max_bins=5, merge_alpha=0.05, monotone_trend={"u": None})
    enc = WoEEncoder(binner=StumpBinner(**params), cv=4, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # smoothed zero cells, unseen categories in a fold
        Z = enc.fit_transform(X, y, sample_weight=w if weighted else None)
        folds = list(StratifiedKFold(4, shuffle=True, random_state=seed).split(X, y))
        ref, ref_bins = _reference(X, y, w, folds, params)
    for k in range(len(folds)):
        for f in X.columns:
            assert enc.crossfit_bins_[k][f] == ref_bins[k][f], (k, f)
    if weighted:  # the table sums are added in another order: equal to rounding
        np.testing.assert_allclose(Z, ref, rtol=1e-12, atol=1e-12)
    else:  # whole-number sums: every number is the same
        np.testing.assert_array_equal(Z, ref)
    # the cross-fitted test counts every fold's rows in its bins, as crossfit_counts does
    manual = crossfit_counts(X, y, folds, ref_bins, w)
    for got, exp in zip(enc.crossfit_counts_, manual, strict=True):
        for f in X.columns:
            np.testing.assert_allclose(got[f], exp[f], rtol=1e-12, atol=1e-12)
    test = crossfit_iv_test(manual)
    np.testing.assert_allclose(enc.iv_.loc[test.index, "statistic"], test["statistic"], rtol=1e-9)
    assert (enc.iv_.loc[test.index, "df"] == test["df"]).all()
    assert set(enc.iv_["pvalue_method"]) == {"cross-fit"}


def test_subtraction_with_good_bad_sign_unknown_value_and_kfold():
    X, y = _data(7)
    folds = list(KFold(3, shuffle=True, random_state=0).split(X))
    enc = WoEEncoder(cv=folds, random_state=0, woe_sign="good/bad", unknown_value=-3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Z = enc.fit_transform(X, y)
        ref, _ = _reference(
            X, y, np.ones(len(y)), folds, {"random_state": 0}, woe_sign="good/bad", unknown=-3.0
        )
    np.testing.assert_array_equal(Z, ref)


def test_fitted_state_is_the_fit_on_all_rows():
    X, y = _data(5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = WoEEncoder(random_state=0)
        a.fit_transform(X, y)
        b = WoEEncoder(random_state=0).fit(X, y)
    for f in X.columns:
        assert a.bins_[f] == b.bins_[f]
        np.testing.assert_array_equal(a.woe_values_[f], b.woe_values_[f])
    assert not hasattr(a.binner_, "_row_cells")  # the row codes are not kept


def test_folds_that_are_no_partition_refit_each_fold():
    """Overlapping or partial folds cannot be subtracted: each fold is refitted on its rows."""
    X, y = _data(3, n=1200)
    idx = np.arange(len(y))
    folds = [(idx[idx % 3 != 0], idx[idx % 3 == 0]), (idx[idx % 3 != 1], idx[idx % 3 == 1])]
    folds.append((idx[: len(y) // 2], idx[idx % 3 == 2]))  # trains on fewer rows
    enc = WoEEncoder(cv=folds, random_state=0)
    assert not enc._subtracts(len(y), folds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Z = enc.fit_transform(X, y)
        tr, te = folds[2]
        fold = WoEEncoder(random_state=0).fit(X.iloc[tr], y[tr])
        np.testing.assert_allclose(Z[te], fold.transform(X.iloc[te]))


@pytest.mark.parametrize("seed", range(6))
def test_fold_woe_is_the_engines_woe(seed):
    """The folds' WoE shortcut gives the numbers of woe_from_result(divergence(...))."""
    from infodiv.core import divergence
    from infodiv.credit._woe_encoder import _fold_woe

    rng = np.random.default_rng(seed)
    K = int(rng.integers(2, 12))
    table = np.zeros((K, 6))
    for cls in (0, 3):
        n = rng.integers(0, 40, K).astype(float)
        n[rng.random(K) < 0.25] = 0.0  # bins empty in one class, or in both
        w = n * rng.gamma(2, 1, K) if seed % 2 else n
        table[:, cls : cls + 3] = np.column_stack([n, w, w * w / np.maximum(n, 1)])
    if table[:, 1].sum() == 0 or table[:, 4].sum() == 0:
        table[0, [0, 1, 2, 3, 4, 5]] = 1.0
    labels = [f"b{j}" for j in range(K)]
    for sign in ("bad/good", "good/bad"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = _fold_woe(table, sign, labels, "", "x")
            iv = divergence(
                np.ascontiguousarray(table[:, 0:3])[:, 1],
                np.ascontiguousarray(table[:, 3:6])[:, 1],
                "jeffreys",
                p_sumsq=np.ascontiguousarray(table[:, 0:3])[:, 2].sum(),
                q_sumsq=np.ascontiguousarray(table[:, 3:6])[:, 2].sum(),
                labels=labels,
            )
        np.testing.assert_array_equal(got, woe_from_result(iv, sign))
