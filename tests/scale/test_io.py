"""Bins as JSON and count tables as Parquet: round trips and bad files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from infodiv.core._bins import FeatureBins, frame_bins
from infodiv.core._counts import CountTable
from infodiv.io import (
    bins_from_json,
    bins_to_json,
    load_bins,
    read_count_table,
    save_bins,
    write_count_table,
)


def test_bins_json_round_trip_gives_the_same_codes(tmp_path):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {
            "num": rng.normal(size=500),
            "cat": pd.Categorical(rng.choice(["x", "y", "z"], 500)),
            "int": rng.integers(0, 4, 500),
        }
    )
    bins = frame_bins(X, {"num": 7, "cat": None, "int": None}, None, {"num": [-999]})
    bins["codes"] = FeatureBins("codes", categories=((np.int64(1), np.int64(2)), (np.int64(3),)))
    path = tmp_path / "bins.json"
    save_bins(bins, path)
    back = load_bins(path)
    assert back == bins
    assert json.loads(path.read_text())["format"] == "infodiv.bins"
    for f in X.columns:
        np.testing.assert_array_equal(back[f].codes(X[f]), bins[f].codes(X[f]))
    assert back["num"].labels == bins["num"].labels


def test_bins_json_written_by_0_1_0_still_loads():
    # a file as 0.1.0 wrote it (format tag "infodiv.bins"), typed here, not produced by save_bins
    text = (
        '{"format": "infodiv.bins", "version": 1, "bins": ['
        '{"feature": "age", "special_values": [-999], "edges": [30.0, 45.5]}, '
        '{"feature": "city", "special_values": [], "categories": [["a", "b"], ["c"]]}]}'
    )
    back = bins_from_json(text)
    assert back["age"] == FeatureBins("age", edges=(30.0, 45.5), special_values=(-999,))
    assert back["city"] == FeatureBins("city", categories=(("a", "b"), ("c",)))
    assert back["age"].codes(pd.Series([20.0, 30.0, 50.0, -999, None])).tolist() == [0, 1, 2, 3, 4]


def test_bins_json_keeps_edges_exactly():
    edges = (2.0**-40, 0.1, 1 / 3, 123456789.123456789)
    b = FeatureBins("v", edges=edges)
    assert bins_from_json(bins_to_json([b]))["v"].edges == edges


def test_datetime_bins_json_is_version_2_and_applies_in_any_unit():
    # a file as this release writes it for a datetime feature, typed here: edges in ns
    e = [int(pd.Timestamp("2020-06-01").value), int(pd.Timestamp("2021-01-01").value)]
    text = (
        '{"format": "infodiv.bins", "version": 2, "bins": [{"feature": "t", '
        f'"special_values": [], "edges": [{e[0]}.0, {e[1]}.0], "time_dtype": "datetime64[ns]"}}]}}'
    )
    back = bins_from_json(text)["t"]
    assert back.time_dtype == "datetime64[ns]"
    days = pd.Series(pd.to_datetime(["2020-01-01", "2020-06-01", "2020-12-31", "2021-01-01", None]))
    for unit in ("s", "ms", "us", "ns"):
        assert back.codes(days.astype(f"datetime64[{unit}]")).tolist() == [0, 1, 1, 2, 3]
    doc = json.loads(bins_to_json({"t": back}))
    assert doc["version"] == 2 and doc["bins"][0]["time_dtype"] == "datetime64[ns]"
    # numeric bins keep writing version 1 (readable by every release)
    assert json.loads(bins_to_json([FeatureBins("v", edges=(1.0,))]))["version"] == 1


def test_bins_json_of_a_newer_version_is_refused():
    with pytest.raises(ValueError, match="version 3 is newer"):
        bins_from_json('{"format": "infodiv.bins", "version": 3, "bins": []}')


def test_bad_bins_json():
    with pytest.raises(ValueError, match="not JSON"):
        bins_from_json("{oops")
    with pytest.raises(ValueError, match="not an infodiv bins file"):
        bins_from_json('{"bins": []}')
    with pytest.raises(ValueError, match="must hold FeatureBins"):
        bins_to_json([{"feature": "a"}])


def test_count_table_parquet_round_trip(tmp_path):
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install infodiv[scale])")
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.integers(0, 3, 300)})
    bins = {"a": FeatureBins("a", edges=(-1.0, 0.0, 1.0)), "b": FeatureBins("b", edges=(1.0,))}
    by = pd.DataFrame(
        {"class": rng.integers(0, 2, 300), "month": rng.choice(["2024-01", "2024-02"], 300)}
    )
    t = CountTable.from_frame(X, bins, by=by, sample_weight=rng.random(300))
    path = tmp_path / "t.parquet"
    write_count_table(t, path)
    back = read_count_table(path)
    assert back == t
    assert back.key_frame.to_dict("list") == t.key_frame.to_dict("list")
    for f in bins:
        np.testing.assert_array_equal(back.arrays[f], t.arrays[f])
    # a plain long table that any engine reads
    plain = pd.read_parquet(path)
    assert list(plain.columns) == [
        "feature",
        "bin",
        "label",
        "class",
        "month",
        "n",
        "sum_w",
        "sum_w2",
    ]


def test_read_count_table_refuses_other_parquet(tmp_path):
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install infodiv[scale])")
    path = tmp_path / "other.parquet"
    pd.DataFrame({"a": [1, 2]}).to_parquet(path)
    with pytest.raises(ValueError, match="not a count table written by infodiv"):
        read_count_table(path)
    with pytest.raises(ValueError, match="must be a CountTable"):
        write_count_table(pd.DataFrame(), path)
