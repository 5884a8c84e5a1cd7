"""Edges at scale: engine quantiles, fine -> coarse merging, the binner hook, sampling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infodiv.core._bins import FeatureBins, quantile_edges
from infodiv.core._counts import CountTable
from infodiv.scale import count_table
from infodiv.scale._edges import (
    approx_quantile_edges,
    coarse_bins,
    fit_bins_at_scale,
    merge_bins,
    sample_rows,
)

pl = pytest.importorskip("polars", reason="polars is not installed (pip install infodiv[scale])")
duckdb = pytest.importorskip(
    "duckdb", reason="duckdb is not installed (pip install infodiv[scale])"
)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    n = 20000
    x = rng.lognormal(size=n)
    x[:500] = np.nan
    x[500:900] = -1.0  # special
    z = rng.integers(0, 6, n).astype(float)  # few distinct values
    y = (rng.random(n) < 1 / (1 + np.exp(2 - np.log(np.abs(x) + 1e-9)))).astype(int)
    w = rng.choice([0.5, 1.0, 2.0], n)
    return pd.DataFrame({"x": x, "z": z, "y": y, "w": w})


@pytest.mark.parametrize("engine", ["pandas", "polars", "duckdb"])
def test_quantile_edges_exact_on_single_machine_engines(data, engine):
    native = {
        "pandas": data,
        "polars": pl.from_pandas(data),
        "duckdb": duckdb.from_df(data),
    }[engine]
    got = approx_quantile_edges(native, ["x", "z"], 50, special_values={"x": [-1]})
    clean = data.loc[data["x"].notna() & (data["x"] != -1), "x"].to_numpy()
    assert_quantiles(got["x"], clean, 50, tol=1 / clean.size)
    if engine != "duckdb":  # DuckDB's quantile_disc takes the neighbouring order statistic
        assert got["x"] == quantile_edges(clean, 50)
    assert got["z"] == (1.0, 2.0, 3.0, 4.0, 5.0)  # ties collapse to the distinct values


def assert_quantiles(edges, values, m, tol):
    """Edge j is a (j+1)/m quantile of values: F(e-) <= level <= F(e), within tol."""
    values = np.sort(values)
    assert len(edges) == m - 1
    assert set(edges) <= set(values)  # observed values, not interpolated
    for j, e in enumerate(edges):
        level = (j + 1) / m
        below = np.searchsorted(values, e, side="left") / values.size
        upto = np.searchsorted(values, e, side="right") / values.size
        assert below - tol <= level <= upto + tol, (j, e, below, level, upto)


def test_coarse_quantile_choice_is_near_equal_mass(data):
    fine = {
        "x": FeatureBins("x", edges=quantile_edges(data["x"].dropna(), 200), special_values=(-1,))
    }
    t = count_table(pl.from_pandas(data), fine, by="y", sample_weight="w")
    coarse = coarse_bins(t, fine, 5)
    e = coarse["x"].edges
    assert set(e) <= set(fine["x"].edges)
    # weighted share of the regular (non-missing, non-special) rows below each edge,
    # computed from the raw rows: within one fine bin (1/200 of the rows, weights <= 2x)
    reg = data[data["x"].notna() & (data["x"] != -1)]
    share = [reg.loc[reg["x"] < v, "w"].sum() / reg["w"].sum() for v in e]
    np.testing.assert_allclose(share, [0.2, 0.4, 0.6, 0.8], atol=2 * 2 / 200)


def test_merge_bins_equals_counting_again(data):
    df = pl.from_pandas(data)
    fine = {
        "x": FeatureBins("x", edges=quantile_edges(data["x"].dropna(), 40), special_values=(-1,)),
        "z": FeatureBins("z", categories=((0.0,), (1.0,), (2.0,), (3.0,), (4.0,), (5.0,))),
    }
    coarse = {
        "x": FeatureBins("x", edges=fine["x"].edges[5::9], special_values=(-1,)),
        "z": FeatureBins("z", categories=((0.0, 1.0), (2.0,), (3.0, 4.0, 5.0))),
    }
    t_fine = count_table(df, fine, by=["y"], sample_weight="w")
    merged = merge_bins(t_fine, fine, coarse)
    direct = count_table(df, coarse, by=["y"], sample_weight="w")
    assert merged.labels == direct.labels
    for f in coarse:
        np.testing.assert_array_equal(merged.arrays[f], direct.arrays[f])


def test_merge_bins_refuses_straddling_bins(data):
    fine = {"x": FeatureBins("x", edges=(1.0, 2.0))}
    t = CountTable.from_frame(data, fine, by=data[["y"]])
    with pytest.raises(ValueError, match=r"coarse edges \[1.5\] are not fine edges"):
        merge_bins(t, fine, {"x": FeatureBins("x", edges=(1.5,))})
    with pytest.raises(ValueError, match="special values"):
        merge_bins(t, fine, {"x": FeatureBins("x", edges=(1.0,), special_values=(-1,))})
    with pytest.raises(ValueError, match="do not match the table's bins"):
        merge_bins(t, {"x": FeatureBins("x", edges=(1.0,))}, {"x": FeatureBins("x", edges=())})
    cat = {"z": FeatureBins("z", categories=((0.0, 1.0), (2.0, 3.0, 4.0, 5.0)))}
    tz = CountTable.from_frame(data, cat, by=data[["y"]])
    with pytest.raises(ValueError, match="not inside one coarse group"):
        merge_bins(tz, cat, {"z": FeatureBins("z", categories=((0.0,), (1.0, 2.0, 3.0, 4.0, 5.0)))})


def test_binner_hook_gets_the_fine_table_and_must_pick_fine_edges(data):
    fine = {
        "x": FeatureBins("x", edges=quantile_edges(data["x"].dropna(), 20), special_values=(-1,))
    }
    t = count_table(pl.from_pandas(data), fine, by="y")
    seen = {}

    def best_single_split(table, feature, candidates):
        """Stump on the small table: the fine edge that maximises IV of a 2-bin split."""
        seen["candidates"] = candidates
        b = table.vector(feature, "sum_w", y=1)[: len(candidates) + 1]
        g = table.vector(feature, "sum_w", y=0)[: len(candidates) + 1]
        best, arg = -1.0, None
        for j in range(1, len(candidates) + 1):
            pb = np.array([b[:j].sum(), b[j:].sum()]) / b.sum()
            pg = np.array([g[:j].sum(), g[j:].sum()]) / g.sum()
            iv = np.sum((pb - pg) * np.log(pb / pg))
            if iv > best:
                best, arg = iv, candidates[j - 1]
        return [arg]

    out = coarse_bins(t, fine, binner=best_single_split)
    assert seen["candidates"] == fine["x"].edges
    assert len(out["x"].edges) == 1 and out["x"].special_values == (-1,)
    with pytest.raises(ValueError, match="not fine edges"):
        coarse_bins(t, fine, binner=lambda table, f, c: [0.123456])


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_fit_bins_at_scale_table_equals_a_fresh_count(data, engine):
    native = pl.from_pandas(data) if engine == "polars" else duckdb.from_df(data)
    bins, table = fit_bins_at_scale(
        native,
        ["x", "z"],
        by="y",
        n_bins=5,
        sample_weight="w",
        special_values={"x": [-1]},
        n_fine=50,
    )
    assert 3 <= len(bins["x"].edges) <= 4 and bins["x"].special_values == (-1,)
    direct = CountTable.from_frame(data, bins, by=data[["y"]], sample_weight=data["w"])
    for f in bins:
        np.testing.assert_array_equal(table.arrays[f], direct.arrays[f])


def test_bad_input_edges(data):
    df = pl.from_pandas(data.assign(s=["a"] * len(data), c=1.0, m=np.nan))
    with pytest.raises(ValueError, match="'s' is not numeric"):
        approx_quantile_edges(df, ["s"])
    with pytest.raises(ValueError, match="'c' is constant"):
        approx_quantile_edges(df, ["c"])
    with pytest.raises(ValueError, match="'m' has only missing"):
        approx_quantile_edges(df, ["m"])
    with pytest.raises(ValueError, match=r"lacks feature columns \['q'\]"):
        approx_quantile_edges(df, ["q"])
    with pytest.raises(ValueError, match="n_fine must be an integer >= 2"):
        approx_quantile_edges(df, ["x"], 1)
    with pytest.raises(ValueError, match="fraction must be in"):
        sample_rows(df, 0.0)


@pytest.mark.parametrize("engine", ["pandas", "polars", "duckdb"])
def test_sample_rows(data, engine):
    native = {"pandas": data, "polars": pl.from_pandas(data), "duckdb": duckdb.from_df(data)}[
        engine
    ]
    s = sample_rows(native, 0.1, seed=1)
    assert isinstance(s, pd.DataFrame) and list(s.columns) == list(data.columns)
    # Bernoulli / fixed-fraction sampling: 2000 expected, sd about 42
    assert 1800 < len(s) < 2200
