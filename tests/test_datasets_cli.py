"""Bundled data loaders and the command-line demo."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from infodiv import CountTable, FeatureBins, datasets, load_german_credit, load_taiwan_credit
from infodiv.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_taiwan_loader():
    df = load_taiwan_credit()
    assert df.shape == (30000, 24)
    assert df["default"].sum() == 6636  # 22.12% default rate, from the source's documentation
    assert set(df["default"].unique()) == {0, 1}
    for c in ("SEX", "EDUCATION", "MARRIAGE"):
        assert isinstance(df[c].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_numeric_dtype(df["LIMIT_BAL"])


def test_german_loader():
    df = load_german_credit()
    assert df.shape == (1000, 21)
    assert df["default"].sum() == 300
    assert "creditability" not in df.columns
    assert isinstance(df["purpose"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_numeric_dtype(df["credit_amount"])


@pytest.mark.parametrize("name", sorted(datasets.SHA256))
def test_checksums_match_data_readme(name):
    readme = (ROOT / "data" / "README.md").read_text()
    assert datasets.SHA256[name] in readme and name in readme
    digest = hashlib.sha256((ROOT / "data" / name).read_bytes()).hexdigest()
    assert digest == datasets.SHA256[name]


def test_checksum_mismatch_is_detected(tmp_path, monkeypatch):
    monkeypatch.setitem(datasets.SHA256, "german_credit.csv.gz", "0" * 64)
    with pytest.raises(OSError, match="checksum mismatch"):
        load_german_credit()


def test_count_table_round_trips_through_long_frame():
    df = load_german_credit()
    bins = {"age_in_years": FeatureBins("age_in_years", edges=(25.0, 35.0, 50.0))}
    t = CountTable.from_frame(df, bins, {"class": df["default"], "foreign": df["foreign_worker"]})
    again = CountTable(t.frame, t.keys, t.labels)
    assert again == t
    assert t.vector("age_in_years", "n").sum() == 1000


def test_demo_prints_every_feature(capsys):
    assert main(["demo", "--bins", "5"]) == 0
    out = capsys.readouterr().out
    df = load_taiwan_credit()
    for c in df.columns.drop("default"):
        assert f"WoETable('{c}'" in out
    assert "95% CI" in out


def test_console_script_bad_input_exit_code():
    proc = subprocess.run(
        [sys.executable, "-m", "infodiv", "demo", "--alpha", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert "--alpha" in proc.stderr and "(0, 1); got 2.0" in proc.stderr
