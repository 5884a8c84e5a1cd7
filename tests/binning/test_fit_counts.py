"""Per-feature stump bins from a fine count table equal the bins fitted on the rows.

``StumpBinner.fit`` counts the rows in quantile cells and fits everything after from those
sums; ``fit_counts`` starts from such a table. The independent check: the table is built by
``CountTable.from_frame`` (the core's own counting, not the binner's) on the cells the binner
would cut, and the two fits must give the same ``FeatureBins``, splits and counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infodiv.binning import StumpBinner
from infodiv.core import CountTable, FeatureBins, quantile_edges
from infodiv.exceptions import InvalidParameterError


def _data(seed: int, n: int = 4000) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    u = rng.uniform(-2, 2, size=n)  # U-shaped effect
    g = rng.choice(list("abcdefg"), size=n)
    cnt = rng.poisson(3, size=n).astype(float)
    logit = 0.8 * x + 0.6 * u**2 - 1 + (g == "a") - 0.5 * (g == "b")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    x[rng.random(n) < 0.05] = np.nan  # missing values
    cnt[rng.random(n) < 0.08] = -1.0  # a special value
    X = pd.DataFrame(
        {
            "x": x,
            "u": u,
            "g": pd.Categorical(g, categories=list("gfedcba")),
            "cnt": cnt,
            "t": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"),
            # integers beyond 2**53: edges must come back as the exact ints
            "big": (2**60 + rng.integers(0, 500, n) * 3).astype(np.int64),
        }
    )
    return X, y


def _independent_table(X: pd.DataFrame, y: np.ndarray, w: np.ndarray | None, cells: dict):
    return CountTable.from_frame(X, cells, by={"class": y}, sample_weight=w, weights="sampling")


def _same(a: StumpBinner, b: StumpBinner) -> None:
    assert list(a.bins_) == list(b.bins_)
    for f in a.bins_:
        assert a.bins_[f] == b.bins_[f], f
        assert a.trend_[f] == b.trend_[f], f
    pd.testing.assert_frame_equal(a.splits_, b.splits_, check_exact=True)
    for f in a.bins_:
        np.testing.assert_allclose(a.counts_.arrays[f], b.counts_.arrays[f], rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_rows_and_fine_table_give_the_same_bins(seed: int, weighted: bool) -> None:
    X, y = _data(seed)
    w = np.random.default_rng(seed + 100).gamma(2.0, 0.7, size=len(y)) if weighted else None
    # min_bin_share pinned: the independent check of the cells below uses its 40 cells
    params = dict(special_values={"cnt": [-1.0]}, random_state=seed, min_bin_share=0.05)
    on_rows = StumpBinner(**params).fit(X, y, sample_weight=w, weights="sampling")
    cells, _ = StumpBinner(**params)._cell_table(X, y, w, weights="sampling")
    # the cells are the quantile cells of the column (checked independently for "u")
    assert cells["u"].edges == quantile_edges(X["u"], 40, w, "u", min_share=0.05)
    table = _independent_table(X, y, w, cells)
    on_table = StumpBinner(**params).fit_counts(table, cells)
    _same(on_rows, on_table)
    assert list(on_table.classes_) == [0, 1]
    assert on_rows.bins_["cnt"].special_values == (-1.0,)


@pytest.mark.parametrize(
    "kw",
    [
        dict(monotone_trend=None),
        dict(max_bins="pn"),
        dict(merge_alpha=0.05),
        dict(min_bin_share=0.1, n_cells=17),
    ],
)
def test_identity_under_other_parameters(kw: dict) -> None:
    X, y = _data(7)
    on_rows = StumpBinner(random_state=0, **kw).fit(X, y)
    cells, table = StumpBinner(random_state=0, **kw)._cell_table(X, y)
    _same(on_rows, StumpBinner(random_state=0, **kw).fit_counts(table, cells))


def test_many_categories_are_grouped_as_fit_groups_them() -> None:
    rng = np.random.default_rng(5)
    n = 6000
    g = rng.integers(0, 60, size=n)
    y = (rng.random(n) < 0.1 + 0.3 * (g % 7) / 7).astype(int)
    X = pd.DataFrame({"g": pd.Categorical(g)})
    on_rows = StumpBinner(random_state=0).fit(X, y)
    cells = {"g": FeatureBins("g", categories=tuple((c,) for c in X["g"].cat.categories))}
    table = _independent_table(X, y, None, cells)
    _same(on_rows, StumpBinner(random_state=0).fit_counts(table, cells))


def test_transform_after_fit_counts_bins_new_rows() -> None:
    X, y = _data(11)
    cells, table = StumpBinner(random_state=0)._cell_table(X, y)
    b = StumpBinner(random_state=0).fit_counts(table, cells)
    ref = StumpBinner(random_state=0).fit(X, y)
    np.testing.assert_array_equal(b.transform(X), ref.transform(X))
    assert b.summary()["estimate"].to_numpy() == pytest.approx(ref.summary()["estimate"])


def test_event_label_and_key_name() -> None:
    X, y = _data(3)
    labels = np.where(y == 1, "bad", "good")
    cells, _ = StumpBinner(random_state=0)._cell_table(X, y)
    table = CountTable.from_frame(X, cells, by={"target": labels})
    b = StumpBinner(random_state=0).fit_counts(table, cells, by="target", event="bad")
    _same(StumpBinner(random_state=0).fit(X, y), b)
    assert list(b.classes_) == ["good", "bad"]


def test_refusals() -> None:
    X, y = _data(4)
    cells, table = StumpBinner()._cell_table(X, y)
    with pytest.raises(InvalidParameterError, match="joint"):
        StumpBinner(strategy="joint").fit_counts(table, cells)
    with pytest.raises(InvalidParameterError, match="pvalue_cv"):
        StumpBinner(pvalue_cv=3).fit_counts(table, cells)
    with pytest.raises(InvalidParameterError, match="keyed by 'target'"):
        StumpBinner().fit_counts(table, cells, by="target")
    with pytest.raises(InvalidParameterError, match="event=2"):
        StumpBinner().fit_counts(table, cells, event=2)
    other = {"u": FeatureBins("u", edges=(0.0,))}
    with pytest.raises(InvalidParameterError, match="bins for 'u'"):
        StumpBinner().fit_counts(table, other)
    with pytest.raises(InvalidParameterError, match="CountTable"):
        StumpBinner().fit_counts(table.frame, cells)


@pytest.mark.parametrize("engine", ["pandas", "polars", "duckdb"])
def test_table_built_by_an_engine(engine: str) -> None:
    """The cells counted by ``infodiv.scale.count_table`` inside Polars / DuckDB give the bins."""
    from infodiv.scale import count_table

    X, y = _data(2)
    X = X.drop(columns=["big", "t"])  # the engines' code expressions take numbers/categories
    params = dict(special_values={"cnt": [-1.0]}, random_state=0)
    ref = StumpBinner(**params).fit(X, y)
    cells, _ = StumpBinner(**params)._cell_table(X, y)
    data: object = X.assign(cls=y)
    if engine == "polars":
        pl = pytest.importorskip("polars")
        data = pl.from_pandas(data)
    elif engine == "duckdb":
        duckdb = pytest.importorskip("duckdb")
        data = duckdb.from_df(data)
    table = count_table(data, cells, by="cls")
    b = StumpBinner(**params).fit_counts(table, cells, by="cls")
    for f in ref.bins_:
        assert b.bins_[f] == ref.bins_[f], f


def test_sketch_cells_between_observed_values_and_empty_cells() -> None:
    """Cells cut between observed values (a sketch), some of them empty: the partition of the
    training rows is that of the cells snapped to the smallest observed value at or above."""
    rng = np.random.default_rng(9)
    n = 5000
    x = np.round(rng.normal(size=n), 1)  # a grid of 0.1: many edges fall between values
    y = (rng.random(n) < 1 / (1 + np.exp(-1.5 * x))).astype(int)
    X = pd.DataFrame({"x": x})
    grid = np.linspace(-2.5, 2.5, 61) + 0.013  # between grid values; tails hold empty cells
    obs = np.unique(x)
    snapped = np.unique(obs[np.minimum(np.searchsorted(obs, grid), obs.size - 1)])
    codes = []
    for edges in (grid, snapped):
        cells = {"x": FeatureBins("x", edges=tuple(edges))}
        table = CountTable.from_frame(X, cells, by={"class": y})
        b = StumpBinner(random_state=0).fit_counts(table, cells)
        assert set(b.bins_["x"].edges) <= set(edges)
        codes.append(b.transform(X)[:, 0])
    np.testing.assert_array_equal(codes[0], codes[1])
    assert codes[0].max() >= 2  # a real binning, not a single bin
