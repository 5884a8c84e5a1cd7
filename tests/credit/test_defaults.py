"""Issue 14 parts 5 and 6 (credit): honest defaults and parameters read the right way.

Expected values are computed by hand (numpy, pandas crosstabs), not by the code under test.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from infodiv import iv_from_counts, iv_summary, psi, psi_summary, woe_table, woe_tables
from infodiv.exceptions import InvalidParameterError


@pytest.fixture
def income():
    rng = np.random.default_rng(11)
    n = 2000
    x = rng.lognormal(10, 0.5, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(np.log(x) - 10) * 2))).astype(int)
    return x, y


def _iv_by_hand(codes, y):
    tab = pd.crosstab(codes, y)
    b = tab[1].to_numpy() / tab[1].sum()
    g = tab[0].to_numpy() / tab[0].sum()
    return float(np.sum((b - g) * np.log(b / g)))


def test_woe_table_default_is_ten_quantile_bins(income):
    x, y = income
    t = woe_table(x, y)
    # by hand: edges at the 10%, ..., 90% order statistics (left-closed bins), 200 rows each
    xs = np.sort(x)
    edges = xs[np.arange(1, 10) * len(x) // 10]
    codes = np.searchsorted(edges, x, side="right")
    assert np.bincount(codes).tolist() == [200] * 10
    assert t.iv.estimate == pytest.approx(_iv_by_hand(codes, y), rel=1e-12)
    assert t.iv.df + 1 == 10
    assert "bins: 10 quantile bins" in repr(t) and "bins: 10 quantile bins" in t.binning


def test_one_bin_per_value_only_when_asked_and_then_explained(income):
    x, y = income
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        per_value = woe_table(x, y, bins="values")
        table = iv_summary(pd.DataFrame({"income": x}), y, bins=None)
    assert per_value.iv.df + 1 == len(np.unique(x))
    assert per_value.iv.estimate > 1.3 * woe_table(x, y).iv.estimate  # inflated by bias
    lo, hi = per_value.iv.conf_int()
    assert hi < per_value.iv.estimate
    assert per_value.iv.ci_note and "note:" in repr(per_value)
    assert "one per distinct value" in per_value.binning
    row = table.loc["income"]
    assert row["ci_high"] < row["estimate"] and "bias" in row["ci_note"]


def test_default_iv_summary_has_no_contradicting_interval(income):
    x, y = income
    out = iv_summary(pd.DataFrame({"income": x, "noise": np.random.default_rng(0).random(2000)}), y)
    assert ((out["ci_low"] <= out["estimate"]) & (out["estimate"] <= out["ci_high"])).all()
    assert "ci_note" not in out.columns


def test_text_column_needs_values_or_category():
    rng = np.random.default_rng(5)
    x = rng.choice(["a", "b", "c"], size=300)
    y = (rng.random(300) < np.where(x == "a", 0.6, 0.3)).astype(int)
    with pytest.raises(InvalidParameterError, match="bins='values'"):
        woe_table(x, y)
    by_value = woe_table(x, y, bins="values")
    as_cat = woe_table(pd.Series(x).astype("category"), y)
    assert by_value.iv.estimate == pytest.approx(as_cat.iv.estimate, rel=1e-12)
    codes = pd.Series(x).map({"a": 0, "b": 1, "c": 2}).to_numpy()
    assert by_value.iv.estimate == pytest.approx(_iv_by_hand(codes, y), rel=1e-12)


@pytest.mark.parametrize("bad", ["5", True, 2.5, ["1", "2"], {"x": 3}])
def test_bins_read_the_wrong_way_are_refused(income, bad):
    x, y = income
    with pytest.raises(InvalidParameterError, match="bins"):
        woe_table(x, y, bins=bad)
    with pytest.raises(InvalidParameterError, match="bins"):
        psi(x[:1000], x[1000:], bins=bad)


def test_unknown_dict_keys_are_refused_naming_key_and_columns(income):
    x, y = income
    X = pd.DataFrame({"income": x, "age": np.arange(len(x)) % 60})
    for call in (
        lambda: iv_summary(X, y, bins={"incme": 5}),
        lambda: woe_tables(X, y, bins={"incme": 5}),
        lambda: iv_summary(X, y, special_values={"incme": [-1]}),
        lambda: woe_tables(X, y, special_values={"incme": [-1]}),
        lambda: psi_summary(X[:1000], X[1000:], bins={"incme": 5}),
    ):
        with pytest.raises(InvalidParameterError, match=r"'incme'.*'income', 'age'"):
            call()
    ok = iv_summary(X, y, bins={"income": 5})  # a dict naming a column works
    assert ok.loc["income", "n_bins"] == 5 and ok.loc["age", "n_bins"] == 10  # used bins


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda X, y: iv_summary(X, y, alpha=True), "alpha"),
        (lambda X, y: iv_summary(X.to_numpy(), y), "X"),
        (lambda X, y: woe_tables(X, y, woe_sign="bad-good"), "woe_sign"),
        (lambda X, y: woe_table(X["income"], y, special_values="-1"), "special_values"),
        (lambda X, y: woe_table(X["income"], y, name=1), "name"),
        (lambda X, y: psi(X["income"], X["income"], reference="known"), "reference"),
        (lambda X, y: psi_summary(X, X, alpha=2), "alpha"),
        (lambda X, y: iv_from_counts(X), "counts"),
    ],
)
def test_credit_parameters_are_checked(income, call, name):
    x, y = income
    X = pd.DataFrame({"income": x})
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        call(X, y)


def test_psi_with_one_bin_per_value_explains_its_interval():
    rng = np.random.default_rng(2)
    # 200 codes, every one in the expected sample; the same law in both samples
    e = np.r_[np.arange(200), rng.integers(0, 200, 100)].astype(float)
    a = rng.integers(0, 200, 300).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = psi(e, a, bins="values")
    lo, hi = r.conf_int()
    # by hand: the Jeffreys bias (K-1)(1/n1 + 1/n2) with K = 200, n1 = n2 = 300
    assert r.df + 1 == 200 and 199 * (2 / 300) > r.estimate > hi
    assert "note:" in repr(r) and r.summary()["ci_note"].iloc[0]
    assert "cells" in r.divergence.ci_note  # many cells for the sample: says so
    drifted = psi(rng.normal(size=3000), rng.normal(0.5, 1, 3000))
    assert "ci_note" not in drifted.summary().columns  # interval contains the estimate
