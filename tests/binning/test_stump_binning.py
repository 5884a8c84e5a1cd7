"""StumpBinner: edges, monotone trends, missing and special bins, categories, errors, device."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from infodiv.binning import MAX_BINS_RULES, StumpBinner, booster_device
from infodiv.core._bins import FeatureBins
from infodiv.core._counts import CountTable
from infodiv.exceptions import DeviceFallbackWarning, UnseenCategoryWarning


def _logistic(rng, eta):
    return (rng.random(eta.shape) < 1 / (1 + np.exp(-eta))).astype(int)


@pytest.fixture(scope="module")
def step_data():
    """Event probability is a step function of x: 0.1 below 0.3, 0.3 up to 0.7, 0.6 above."""
    rng = np.random.default_rng(0)
    n = 20_000
    x = rng.random(n)
    p = np.select([x < 0.3, x < 0.7], [0.1, 0.3], 0.6)
    y = (rng.random(n) < p).astype(int)
    return pd.DataFrame({"x": x}), y


def _regular_woe(binner, f):
    b = binner.bins_[f]
    return binner.woe_tables_[f].table["woe"].to_numpy()[: b.n_regular]


def test_edges_recover_the_true_steps(step_data):
    X, y = step_data
    b = StumpBinner(max_bins=3, random_state=0).fit(X, y)
    edges = np.asarray(b.bins_["x"].edges)
    assert edges.shape == (2,)
    assert np.allclose(edges, [0.3, 0.7], atol=0.02)
    assert b.trend_["x"] == 1
    # the kept edges are stump thresholds, reported in splits_
    assert set(b.splits_.loc[b.splits_["kept"], "split"]) == set(edges)


@pytest.mark.parametrize("strategy", ["per_feature", "joint"])
def test_counts_equal_an_independent_recount(strategy):
    rng = np.random.default_rng(1)
    n = 3000
    x = rng.normal(size=n)
    x[rng.random(n) < 0.1] = np.nan
    x[rng.random(n) < 0.05] = -1.0
    c = pd.Categorical(rng.choice(list("abcde"), n))
    y = _logistic(rng, np.nan_to_num(x) + (c == "a"))
    w = rng.uniform(0.5, 2.0, n)
    w[:50] = 0.0  # rows without weight still count as rows
    X = pd.DataFrame({"x": x, "c": c})
    b = StumpBinner(special_values={"x": [-1.0]}, strategy=strategy, random_state=0)
    b.fit(X, y, sample_weight=w)
    ref = CountTable.from_frame(X, b.bins_, {"class": y}, w)
    for f in ("x", "c"):
        for k in (0, 1):
            np.testing.assert_allclose(
                b.counts_.stats(f, **{"class": k}), ref.stats(f, **{"class": k})
            )


@pytest.mark.parametrize("strategy", ["joint", "per_feature"])
@pytest.mark.parametrize("trend", ["increasing", "decreasing"])
def test_woe_is_monotone_when_a_trend_is_asked(trend, strategy):
    rng = np.random.default_rng(2)
    n = 8000
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    # U-shaped in x: any monotone binning must pool the violators
    y = _logistic(rng, 0.8 * x**2 - 1 + 0.5 * z)
    X = pd.DataFrame({"x": x, "z": z})
    b = StumpBinner(
        monotone_trend={"x": trend, "z": "auto"},
        max_bins=8,
        min_bin_share=0.02,
        strategy=strategy,
        random_state=0,
    ).fit(X, y)
    sign = 1 if trend == "increasing" else -1
    woe = _regular_woe(b, "x")
    rate = b.woe_tables_["x"].table["event_rate"].to_numpy()[: b.bins_["x"].n_regular]
    assert np.all(sign * np.diff(woe) >= 0)
    assert np.all(sign * np.diff(rate) >= 0)
    assert b.trend_["x"] == sign
    # "auto" finds the direction of z (positive effect)
    assert b.trend_["z"] == 1 and np.all(np.diff(_regular_woe(b, "z")) >= 0)


def test_marginal_woe_is_monotone_even_where_the_joint_model_disagrees():
    # x's effect given z is negative, its marginal effect positive (z ~ x): the joint stumps are
    # decreasing in x, the marginal event rate over those bins is not; pooling must fix it
    rng = np.random.default_rng(10)
    n = 10_000
    x = rng.normal(size=n)
    z = x + 0.5 * rng.normal(size=n)
    y = _logistic(rng, 2 * z - x)
    X = pd.DataFrame({"x": x, "z": z})
    b = StumpBinner(monotone_trend={"x": "decreasing", "z": "increasing"}, random_state=0).fit(X, y)
    assert np.all(np.diff(_regular_woe(b, "x")) <= 0)
    assert np.all(np.diff(_regular_woe(b, "z")) >= 0) and b.bins_["z"].n_regular >= 3


def test_auto_trend_finds_a_decreasing_effect():
    rng = np.random.default_rng(3)
    x = rng.normal(size=6000)
    y = _logistic(rng, -1.2 * x)
    b = StumpBinner(random_state=0).fit(pd.DataFrame({"x": x}), y)
    assert b.trend_["x"] == -1
    woe = _regular_woe(b, "x")
    assert len(woe) >= 3 and np.all(np.diff(woe) < 0)


def test_auto_keeps_a_significant_u_shape_free_and_a_linear_effect_monotone():
    rng = np.random.default_rng(11)
    n = 10_000
    u = rng.normal(size=n)
    lin = rng.normal(size=n)
    y = _logistic(rng, 1.0 * u**2 - 1 + 0.7 * lin)
    b = StumpBinner(random_state=0).fit(pd.DataFrame({"u": u, "lin": lin}), y)
    assert b.trend_["u"] == 0
    woe = _regular_woe(b, "u")
    assert woe.argmin() not in (0, len(woe) - 1)
    assert b.trend_["lin"] == 1 and np.all(np.diff(_regular_woe(b, "lin")) > 0)
    # with a trend forced, the same U collapses to monotone bins
    forced = StumpBinner(monotone_trend="increasing", random_state=0).fit(pd.DataFrame({"u": u}), y)
    assert np.all(np.diff(_regular_woe(forced, "u")) >= 0)


def test_auto_keeps_noise_monotone():
    rng = np.random.default_rng(13)
    X = pd.DataFrame(rng.normal(size=(5000, 12)), columns=[f"n{j}" for j in range(12)])
    y = (rng.random(5000) < 0.3).astype(int)
    b = StumpBinner(random_state=0).fit(X, y)
    assert sum(t == 0 for t in b.trend_.values()) <= 1


def test_no_trend_keeps_a_u_shape():
    rng = np.random.default_rng(4)
    x = rng.normal(size=10_000)
    y = _logistic(rng, 1.0 * x**2 - 1)
    b = StumpBinner(monotone_trend=None, random_state=0).fit(pd.DataFrame({"x": x}), y)
    woe = _regular_woe(b, "x")
    assert b.trend_["x"] == 0
    assert woe.argmin() not in (0, len(woe) - 1)  # lowest risk in the middle


def test_missing_bin_exists_is_used_and_has_the_right_woe():
    rng = np.random.default_rng(5)
    n = 6000
    x = rng.normal(size=n)
    miss = rng.random(n) < 0.1
    y = np.where(miss, rng.random(n) < 0.7, rng.random(n) < 0.2).astype(int)
    x[miss] = np.nan
    X = pd.DataFrame({"x": x})
    b = StumpBinner(random_state=0).fit(X, y)
    fb = b.bins_["x"]
    assert fb.labels[-1] == "missing"
    codes = b.transform(X)[:, 0]
    assert np.array_equal(codes == fb.missing_code, miss)
    t = b.woe_tables_["x"].table
    row = t[t["bin"] == "missing"].iloc[0]
    assert row["count"] == miss.sum()
    # independent WoE of the missing bin: ln(bad share / good share)
    bad_share = (y[miss] == 1).sum() / (y == 1).sum()
    good_share = (y[miss] == 0).sum() / (y == 0).sum()
    assert row["woe"] == pytest.approx(np.log(bad_share / good_share), rel=1e-12)
    assert row["woe"] > 1.0
    # new data: missing values go to the missing bin
    assert b.transform(pd.DataFrame({"x": [np.nan, 0.0]}))[0, 0] == fb.missing_code


def test_missing_bin_is_empty_when_fit_saw_none(step_data):
    X, y = step_data
    b = StumpBinner(random_state=0).fit(X, y)
    t = b.woe_tables_["x"].table
    assert t.loc[t["bin"] == "missing", "count"].item() == 0
    assert b.transform(pd.DataFrame({"x": [np.nan]}))[0, 0] == b.bins_["x"].missing_code


def test_special_values_get_their_own_bins():
    rng = np.random.default_rng(6)
    n = 5000
    x = rng.normal(size=n)
    special = rng.choice([0, 1, 2], n, p=[0.85, 0.1, 0.05])
    x[special == 1] = 9999.0
    x[special == 2] = -1.0
    y = _logistic(rng, x.clip(-3, 3) + 2 * (special == 1))
    X = pd.DataFrame({"x": x})
    b = StumpBinner(special_values=[9999.0, -1.0], random_state=0).fit(X, y)
    fb = b.bins_["x"]
    assert fb.special_values == (9999.0, -1.0)
    assert max(fb.edges) < 10 and min(fb.edges) > -5  # the codes never became edges
    codes = b.transform(X)[:, 0]
    assert np.array_equal(codes == fb.n_regular, special == 1)
    assert np.array_equal(codes == fb.n_regular + 1, special == 2)


def test_categories_are_grouped_by_event_rate_and_unseen_ones_warn():
    rng = np.random.default_rng(7)
    n = 12_000
    rates = {"a": 0.05, "b": 0.06, "c": 0.2, "d": 0.21, "e": 0.5}
    c = rng.choice(list(rates), n)
    y = (rng.random(n) < np.vectorize(rates.get)(c)).astype(int)
    X = pd.DataFrame({"c": pd.Categorical(c)})
    b = StumpBinner(random_state=0).fit(X, y)
    fb = b.bins_["c"]
    assert not fb.is_numeric
    # the groups are contiguous in event rate, and the clearly different rates are apart
    order = [cat for g in fb.categories for cat in g]
    assert order == ["a", "b", "c", "d", "e"]
    group_of = {cat: i for i, g in enumerate(fb.categories) for cat in g}
    assert group_of["a"] != group_of["c"] != group_of["e"]
    assert np.all(np.diff(_regular_woe(b, "c")) > 0)
    new = pd.DataFrame({"c": pd.Categorical(["a", "zzz"])})
    with pytest.warns(UnseenCategoryWarning, match="column 'c'.*not seen in fit"):
        out = b.transform(new)
    assert out[0, 0] == group_of["a"] and out[1, 0] == -1
    b.set_params(output="label")
    with pytest.warns(UserWarning, match="column 'c'"):
        labels = b.transform(new)
    assert labels[1, 0] == "unseen" and "a" in labels[0, 0]


def test_bool_columns_are_categories():
    rng = np.random.default_rng(8)
    flag = rng.random(4000) < 0.3
    y = (rng.random(4000) < np.where(flag, 0.4, 0.1)).astype(int)
    b = StumpBinner(random_state=0).fit(pd.DataFrame({"flag": flag}), y)
    assert set(map(frozenset, b.bins_["flag"].categories)) == {
        frozenset([False]),
        frozenset([True]),
    }


def test_bins_respect_max_bins_and_min_share(step_data):
    X, y = step_data
    b = StumpBinner(max_bins=4, min_bin_share=0.15, n_estimators=100, random_state=0).fit(X, y)
    fb = b.bins_["x"]
    assert fb.n_regular <= 4
    share = b.woe_tables_["x"].table["count_share"].to_numpy()[: fb.n_regular]
    assert np.all(share >= 0.15)


def test_max_bins_hook_callable_and_named_rule(step_data, monkeypatch):
    X, y = step_data
    seen = {}

    def rule(*, n_samples, n_events, n_nonevents, feature):
        seen.update(n=n_samples, events=n_events, feature=feature)
        return 2

    b = StumpBinner(max_bins=rule, random_state=0).fit(X, y)
    assert b.bins_["x"].n_regular == 2
    assert seen == {"n": len(y), "events": y.sum(), "feature": "x"}
    with pytest.raises(ValueError, match="max_bins='nope' is not an available rule"):
        StumpBinner(max_bins="nope").fit(X, y)
    monkeypatch.setitem(MAX_BINS_RULES, "nope", rule)
    assert StumpBinner(max_bins="nope", random_state=0).fit(X, y).bins_["x"].n_regular == 2


def test_max_bins_pn_rule_follows_the_sample_size_criterion():
    """max_bins="pn": K - 1 <= 16 eps^2 n_min at eps = 0.05 (spec's first-order rule)."""
    rng = np.random.default_rng(12)
    for n_bad in (40, 120):
        n = 4000
        x = rng.random(n)
        y = np.zeros(n, dtype=int)
        y[rng.choice(n, n_bad, replace=False, p=x / x.sum())] = 1
        X = pd.DataFrame({"x": x})
        b = StumpBinner(max_bins="pn", min_bin_share=0.01, n_estimators=100, random_state=0)
        k = b.fit(X, y).bins_["x"].n_regular
        assert 1 <= k <= 1 + 16 * 0.05**2 * n_bad
        free = StumpBinner(max_bins=20, min_bin_share=0.01, n_estimators=100, random_state=0)
        assert free.fit(X, y).bins_["x"].n_regular >= k


def test_merge_alpha_leaves_only_significant_adjacent_differences():
    rng = np.random.default_rng(9)
    n = 6000
    x = rng.random(n)
    y = (rng.random(n) < np.where(x < 0.5, 0.2, 0.3)).astype(int)
    X = pd.DataFrame({"x": x, "noise": rng.normal(size=n)})
    b = StumpBinner(merge_alpha=0.01, max_bins=10, min_bin_share=0.02, random_state=0).fit(X, y)
    for f in ("x", "noise"):
        t = b.woe_tables_[f].table.iloc[: b.bins_[f].n_regular]
        # independent test of each adjacent pair from the raw counts
        B, G = t["bads"].to_numpy(), t["goods"].to_numpy()
        lor = np.diff(np.log(B / G))
        se = np.sqrt(1 / B[1:] + 1 / B[:-1] + 1 / G[1:] + 1 / G[:-1])
        p = 2 * stats.norm.sf(np.abs(lor / se))
        assert np.all(p <= 0.01)
    assert b.bins_["x"].n_regular >= 2
    assert b.bins_["noise"].n_regular <= 2


def test_transform_returns_indices_or_labels_and_bins_serialise(step_data):
    X, y = step_data
    b = StumpBinner(random_state=0).fit(X, y)
    idx = b.transform(X)
    assert idx.dtype == np.int64 and idx.shape == (len(X), 1)
    again = FeatureBins.from_dict(b.bins_["x"].to_dict()).codes(X["x"])
    assert np.array_equal(idx[:, 0], again)
    labels = b.set_params(output="label").transform(X.head(3))
    assert list(labels[:, 0]) == [b.bins_["x"].labels[i] for i in idx[:3, 0]]
    out = b.set_output(transform="pandas").transform(X.head(3))
    assert list(out.columns) == ["x"] and list(out.index) == [0, 1, 2]


def test_numpy_input_gets_x_names(step_data):
    X, y = step_data
    b = StumpBinner(random_state=0).fit(X.to_numpy(), y)
    assert list(b.bins_) == ["x0"] and list(b.get_feature_names_out()) == ["x0"]


@pytest.mark.parametrize(
    "X, y, match",
    [
        (
            pd.DataFrame({"a": [1.0, 2, 3, 4], "k": [5.0] * 4}),
            [0, 1, 0, 1],
            "column 'k' is constant",
        ),
        (
            pd.DataFrame({"a": [1.0, 2, 3, 4], "m": [np.nan] * 4}),
            [0, 1, 0, 1],
            "column 'm' has only missing values",
        ),
        (
            pd.DataFrame({"s": ["u", "v", "u", "v"]}),
            [0, 1, 0, 1],
            r"column 's' holds strings \(dtype str\); mark it categorical",
        ),
        (pd.DataFrame({"a": [1.0, 2, 3, 4]}), [1, 1, 1, 1], "only one class"),
        (pd.DataFrame({"a": [1.0, 2, 3, 4]}), [0, 1, 2, 1], "Only binary classification"),
        (pd.DataFrame({"a": [1.0, 2, 3, 4]}), [0, 1, 0], r"length mismatch: X has 4.*y has 3"),
        (pd.DataFrame({"a": [1.0, 2, np.inf, 4]}), [0, 1, 0, 1], "column 'a' contains inf"),
    ],
)
def test_bad_input_gets_a_clear_error(X, y, match):
    with pytest.raises(ValueError, match=match):
        StumpBinner().fit(X, y)


def test_bad_parameters_are_named():
    X, y = pd.DataFrame({"a": [1.0, 2, 3, 4]}), [0, 1, 0, 1]
    for params, match in [
        ({"max_bins": 1}, "max_bins"),
        ({"min_bin_share": 0.7}, "min_bin_share"),
        ({"monotone_trend": "up"}, "monotone_trend"),
        ({"strategy": "both"}, "strategy"),
        ({"device": "tpu"}, "device"),
        ({"monotone_trend": {"zz": None}}, "monotone_trend names columns not in X"),
    ]:
        with pytest.raises(ValueError, match=match):
            StumpBinner(**params).fit(X, y)


def _cuda_available():
    import xgboost as xgb

    if not xgb.build_info().get("USE_CUDA"):
        return False
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = xgb.DMatrix(np.array([[0.0], [1.0]]), label=[0, 1])
        return booster_device(xgb.train({"device": "cuda"}, d, 1)).startswith("cuda")


def test_cuda_request_reports_the_device_used(step_data):
    X, y = step_data
    if _cuda_available():
        b = StumpBinner(device="cuda", strict_device=True, random_state=0).fit(X, y)
        assert b.device_.startswith("cuda")
        return
    with pytest.warns(DeviceFallbackWarning, match="device='cuda'.*trained on 'cpu'.*fell back"):
        b = StumpBinner(device="cuda", random_state=0).fit(X, y)
    assert b.device_ == "cpu"
    with pytest.raises(RuntimeError, match="device='cuda'.*strict_device=True"):
        StumpBinner(device="cuda", strict_device=True).fit(X, y)
    assert StumpBinner(random_state=0).fit(X, y).device_ == "cpu"


def test_fast_codes_of_numeric_columns_equal_the_general_path():
    fb = FeatureBins("v", edges=(-1.0, 0.0, 2.5))
    # by hand: (-inf, -1) -> 0, [-1, 0) -> 1, [0, 2.5) -> 2, [2.5, inf) -> 3, missing -> 4
    cases = {
        "float64": (pd.Series([-3.0, -1.0, 0.0, 2.5, np.nan, 7.0]), [0, 1, 2, 3, 4, 3]),
        "int64": (pd.Series([-3, -1, 0, 2, 3], dtype="int64"), [0, 1, 2, 2, 3]),
        "Int64": (pd.Series([1, None, -2], dtype="Int64"), [2, 4, 0]),
        "float32": (pd.Series([1.5, -0.5], dtype="float32"), [2, 1]),
    }
    for name, (x, expected) in cases.items():
        np.testing.assert_array_equal(fb.codes(x), expected, err_msg=name)
        # a special value (absent here) forces the general path: the same regular codes,
        # the missing bin one further (after the special bin)
        general = FeatureBins("v", edges=fb.edges, special_values=(-99,)).codes(x)
        np.testing.assert_array_equal(general, [5 if e == 4 else e for e in expected], name)
    with pytest.raises(ValueError, match="contains inf"):
        fb.codes(pd.Series([np.inf, 1.0]))


def test_fast_codes_of_category_columns_equal_a_direct_lookup():
    fb = FeatureBins("c", categories=(("a", "b"), ("c",)))
    x = pd.Series(["a", "c", None, "b", "z", "c"], dtype="category")
    # by hand: groups 0 / 1, missing bin 2 (no special values), unseen -1
    np.testing.assert_array_equal(fb.codes(x), [0, 1, 2, 0, -1, 1])
    np.testing.assert_array_equal(fb.codes(x.astype(object)), [0, 1, 2, 0, -1, 1])
    # categories of the dtype that are absent from the rows, and integer categories
    y = pd.Series(pd.Categorical(["c", "a"], categories=["q", "c", "a"]))
    np.testing.assert_array_equal(fb.codes(y), [1, 0])
    fi = FeatureBins("i", categories=((1, 3), (2,)))
    z = pd.Series(pd.Categorical([3, 2, np.nan, 1, 5]))
    np.testing.assert_array_equal(fi.codes(z), [0, 1, 2, 0, -1])


def test_auto_n_cells_is_two_cells_per_minimum_share():
    from infodiv.binning import auto_n_cells

    assert [auto_n_cells(s) for s in (0.05, 0.02, 0.1, 0.03)] == [40, 100, 20, 67]
    assert auto_n_cells(0.0) == 256 and auto_n_cells(0.001) == 256


@pytest.mark.parametrize("share, cells", [(0.05, 40), (0.1, 20)])
def test_thresholds_lie_on_the_auto_quantile_grid(share, cells):
    rng = np.random.default_rng(3)
    x = rng.normal(size=8000)
    y = _logistic(rng, 0.8 * (x**2 - 1))  # U shape: steep tails draw splits
    b = StumpBinner(min_bin_share=share, max_bins=20, random_state=0).fit(pd.DataFrame({"x": x}), y)
    # the cells: the smallest value whose share of the rows below and at it exceeds k / cells
    grid = np.sort(x)[(np.arange(1, cells) * x.size) // cells]
    splits = b.splits_["split"].to_numpy()
    assert splits.size > 0
    assert np.isin(splits, grid).all()
    # and an explicit n_cells keeps the finer grid available
    fine = StumpBinner(min_bin_share=share, n_cells=256, max_bins=20, random_state=0)
    fine_splits = fine.fit(pd.DataFrame({"x": x}), y).splits_["split"].to_numpy()
    assert not np.isin(fine_splits, grid).all()


def test_n_cells_must_be_an_int_or_auto(step_data):
    X, y = step_data
    for bad in ("fine", 0, 2.5, True):
        with pytest.raises(
            ValueError,
            match="'n_cells' parameter of StumpBinner must be an int in the range \\[1, inf\\) or a str among \\{'auto'\\}",
        ):
            StumpBinner(n_cells=bad).fit(X, y)
