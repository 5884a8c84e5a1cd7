"""WoEEncoder: WoE values, cross-fitting without leakage, unseen values, IV table, plot."""

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from infodiv.binning._stump import StumpBinner
from infodiv.core._bins import FeatureBins
from infodiv.credit._woe_encoder import WoEEncoder
from infodiv.exceptions import UnseenCategoryWarning

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 4000
    x = rng.normal(size=n)
    c = rng.choice(list("abcd"), n, p=[0.4, 0.3, 0.2, 0.1])
    eta = 0.8 * x + np.select([c == "a", c == "b", c == "c"], [-0.5, 0.0, 0.5], 1.0) - 1
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    x[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame({"x": x, "c": pd.Categorical(c)}), y


def test_transform_equals_woe_from_raw_counts(data):
    X, y = data
    edges = (-1.0, 0.0, 1.0)
    enc = WoEEncoder(bins={"x": edges, "c": None}).fit(X, y)
    Z = enc.transform(X)
    x = X["x"].to_numpy()
    code = np.where(np.isnan(x), 4, np.searchsorted(edges, x, side="right"))
    B, G = (y == 1).sum(), (y == 0).sum()
    for k in range(5):
        m = code == k
        woe = np.log(((y[m] == 1).sum() / B) / ((y[m] == 0).sum() / G))
        assert np.allclose(Z[m, 0], woe, rtol=1e-12)
    for cat in "abcd":
        m = X["c"].to_numpy() == cat
        woe = np.log(((y[m] == 1).sum() / B) / ((y[m] == 0).sum() / G))
        assert np.allclose(Z[m, 1], woe, rtol=1e-12)
    # IV against the textbook sum over bins
    t = enc.woe_tables_["x"].table.iloc[:-1]
    b, g = t["bads"] / B, t["goods"] / G
    assert enc.iv_.loc["x", "iv"] == pytest.approx(
        float(((b - g) * np.log(b / g)).sum()), rel=1e-12
    )


def test_iv_table_is_sorted_and_complete(data):
    X, y = data
    enc = WoEEncoder(random_state=0).fit(X, y)
    iv = enc.iv_
    assert list(iv.index) == sorted(iv.index, key=lambda f: -iv.loc[f, "iv"])
    for col in ("iv", "se", "ci_low", "ci_high", "pvalue"):
        assert iv[col].notna().all()
    assert (iv["ci_low"] <= iv["iv"]).all() and (iv["iv"] <= iv["ci_high"]).all()
    for f in ("x", "c"):
        assert iv.loc[f, "iv"] == enc.woe_tables_[f].iv.estimate
    assert isinstance(enc.binner_, StumpBinner)


def test_cross_fitting_does_not_leak_shuffled_target_control():
    """With a target unrelated to X, in-sample WoE still 'predicts' it (leak); cross-fitted
    WoE must not."""
    rng = np.random.default_rng(1)
    n = 2000
    X = pd.DataFrame({f"c{j}": pd.Categorical(rng.integers(0, 40, n)) for j in range(6)})
    y = rng.permutation((rng.random(n) < 0.3).astype(int))
    cats = list(X.columns)
    z_cf = WoEEncoder(random_state=0).fit_transform(X, y)
    z_in = WoEEncoder(random_state=0).fit(X, y).transform(X)
    auc_cf = np.mean([roc_auc_score(y, z_cf[:, j]) for j in range(len(cats))])
    auc_in = np.mean([roc_auc_score(y, z_in[:, j]) for j in range(len(cats))])
    assert auc_in > 0.54  # in-sample encodings leak the (meaningless) target
    assert abs(auc_cf - 0.5) < 0.025  # cross-fitted ones do not


def test_cross_fitting_matches_a_manual_fold_loop(data):
    """Each fold: bins and WoE learned on the other folds' rows, in the fine cells cut on all
    rows (cross-fitting by subtraction; tests/credit/test_woe_crossfit_subtraction.py)."""
    from sklearn.model_selection import StratifiedKFold

    from infodiv.core import CountTable

    X, y = data
    enc = WoEEncoder(binner=StumpBinner(random_state=0), cv=4, random_state=3)
    Z = enc.fit_transform(X, y)
    cells, _ = StumpBinner(random_state=0)._cell_table(X, y)
    manual = np.empty_like(Z)
    for tr, te in StratifiedKFold(4, shuffle=True, random_state=3).split(X, y):
        table = CountTable.from_frame(X.iloc[tr], cells, {"class": y[tr]})
        fold = WoEEncoder(bins=StumpBinner(random_state=0).fit_counts(table, cells).bins_)
        manual[te] = fold.fit(X.iloc[tr], y[tr]).transform(X.iloc[te])
    np.testing.assert_allclose(Z, manual)
    assert not np.allclose(Z, enc.transform(X))  # differs from fit(X, y).transform(X)


def test_unseen_categories_and_unbinned_missing_values_warn(data):
    X, y = data
    enc = WoEEncoder(random_state=0, unknown_value=0.0).fit(X.dropna(), y[X["x"].notna()])
    new = pd.DataFrame({"x": [0.1, np.nan], "c": pd.Categorical(["a", "zz"])})
    with pytest.warns(UnseenCategoryWarning) as rec:
        Z = enc.transform(new)
    msgs = " ".join(str(r.message) for r in rec)
    assert "column 'c'" in msgs and "not seen in fit" in msgs
    assert "column 'x'" in msgs and "missing" in msgs
    assert Z[1, 0] == 0.0 and Z[1, 1] == 0.0
    assert Z[0, 1] == enc.woe_values_["c"][enc.bins_["c"].codes(["a"])[0]]
    enc.set_params(unknown_value=-9.0)
    with pytest.warns(UnseenCategoryWarning):
        assert enc.transform(new)[1, 1] == -9.0


def test_set_output_pandas_and_feature_names(data):
    X, y = data
    enc = WoEEncoder(random_state=0).set_output(transform="pandas")
    Xi = X.set_index(pd.RangeIndex(100, 100 + len(X)))
    Z = enc.fit_transform(Xi, y)
    assert isinstance(Z, pd.DataFrame) and list(Z.columns) == ["x", "c"]
    assert Z.index.equals(Xi.index)
    assert list(enc.get_feature_names_out()) == ["x", "c"]


def test_any_binner_or_given_feature_bins(data):
    X, y = data
    enc = WoEEncoder(bins={"x": FeatureBins("x", edges=(0.0,)), "c": None}).fit(X, y)
    assert enc.bins_["x"].edges == (0.0,) and enc.binner_ is None
    enc2 = WoEEncoder(binner=StumpBinner(max_bins=2, random_state=0)).fit(X, y)
    assert enc2.bins_["x"].n_regular <= 2


def test_empty_given_bin_and_conflicting_options_are_errors(data):
    X, y = data
    with pytest.raises(
        ValueError, match=r"column 'x': bins \['\[50, 60\)', '\[60, inf\)'\] have no training rows"
    ):
        WoEEncoder(bins={"x": (0.0, 50.0, 60.0), "c": None}).fit(X, y)
    with pytest.raises(ValueError, match="either binner or bins"):
        WoEEncoder(binner=StumpBinner(), bins=5).fit(X, y)
    with pytest.raises(ValueError, match="length mismatch"):
        WoEEncoder().fit(X, y[:-1])


def test_plot_woe_returns_a_figure(data):
    X, y = data
    enc = WoEEncoder(random_state=0).fit(X, y)
    fig = enc.plot_woe("x")
    assert type(fig).__name__ == "Figure"
    ax = fig.axes[0]
    assert len(ax.patches) == enc.bins_["x"].n_regular + 1  # regular bins + missing
    with pytest.raises(ValueError, match="feature must be one of"):
        enc.plot_woe("nope")


def test_fast_woe_values_equal_the_woe_tables(data):
    X, y = data
    for woe_sign in ("bad/good", "good/bad"):
        enc = WoEEncoder(random_state=0, woe_sign=woe_sign).fit(X, y)
        for f in enc.features_:
            table = enc.woe_tables_[f]
            np.testing.assert_array_equal(enc.woe_values_[f], table.woe.to_numpy())
            assert enc.iv_.loc[f, "se"] == table.iv.se


def test_given_bins_with_a_rare_value_cross_fit_without_error():
    # six distinct values, one bin each (quantile bins keep every value of a few-valued column);
    # value 5 sits on one row, so the fold that holds it out trains without it
    rng = np.random.default_rng(0)
    x = rng.choice([0.0, 1.0, 2.0, 3.0, 4.0], size=600)
    x[0] = 5.0
    y = (rng.random(600) < 0.2 + 0.1 * (x > 2)).astype(int)
    X = pd.DataFrame({"x": x})
    fb = FeatureBins("other_name", edges=(1.0, 2.0, 3.0, 4.0, 5.0))
    enc = WoEEncoder(bins={"x": fb}, cv=5, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zero cells of the folds: smoothed
        out = enc.fit_transform(X, y)
    assert np.isfinite(out).all()
    assert enc.bins_["x"].edges == fb.edges
    # on all rows an empty given bin is still refused
    with pytest.raises(ValueError, match=r"\[5, 6\)"):
        WoEEncoder(bins={"x": (1.0, 5.0, 6.0)}, cv=5).fit(X.assign(x=np.minimum(x, 4.0)), y)


def test_renamed_datetime_bins_keep_their_time_dtype():
    t = pd.Series(pd.date_range("2020-01-01", periods=300, freq="D"))
    y = (np.arange(300) % 3 == 0).astype(int)
    fb = FeatureBins(
        "when",
        edges=(float(pd.Timestamp("2020-05-01").value),),
        time_dtype="datetime64[ns]",
    )
    enc = WoEEncoder(bins={"t": fb}, cv=3).fit(pd.DataFrame({"t": t.astype("datetime64[s]")}), y)
    assert enc.bins_["t"].time_dtype == "datetime64[ns]"
    codes = enc.bins_["t"].codes(t.astype("datetime64[ms]"))
    np.testing.assert_array_equal(codes, (t >= pd.Timestamp("2020-05-01")).astype(int))
