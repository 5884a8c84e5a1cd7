"""`infodiv report --demo` end to end, and the bad-input paths of every subcommand."""

import base64
import json
import re
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from infodiv import StumpBinner, WoEEncoder, load_taiwan_credit
from infodiv.cli import main


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    proc = subprocess.run(
        [sys.executable, "-m", "infodiv", "report", "--demo", "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def test_demo_writes_three_formats(demo_dir):
    for name in ("report.html", "report.md", "report.json"):
        assert (demo_dir / name).is_file() and (demo_dir / name).stat().st_size > 1000
    md = (demo_dir / "report.md").read_text()
    for link in re.findall(r"!\[[^]]*\]\(([^)]+)\)", md):
        assert (demo_dir / link).is_file()


def test_html_is_self_contained_with_embedded_images(demo_dir):
    html = (demo_dir / "report.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert len(images) >= 3
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert not re.search(r'(src|href)="https?://', html)  # no external assets


def test_json_ivs_equal_the_library(demo_dir):
    data = json.loads((demo_dir / "report.json").read_text())
    ivs = data["sections"]["iv"]["iv"]
    # the same development split and binning, computed here through the public API
    df = load_taiwan_credit().reset_index(drop=True)
    y = df["default"].to_numpy()
    idx_train, _ = train_test_split(np.arange(len(df)), test_size=0.3, random_state=0, stratify=y)
    X = df.drop(columns=["default", "SEX"]).iloc[idx_train]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        enc = WoEEncoder(
            binner=StumpBinner(strategy="per_feature", random_state=0), random_state=0
        ).fit(X, y[idx_train])
    assert set(ivs) == set(enc.iv_.index)
    for f, v in ivs.items():
        assert v == pytest.approx(enc.iv_.loc[f, "iv"], rel=1e-12)
    sections = data["sections"]
    assert {"psi", "fairness", "scorecard"} <= set(sections)
    auc = [r for r in sections["scorecard"]["tables"]["Holdout metrics"] if r["metric"] == "AUC"]
    assert 0.6 < auc[0]["value"] < 0.9 and auc[0]["ci_low"] < auc[0]["value"] < auc[0]["ci_high"]


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=200), "g": rng.choice(["a", "b"], 200)})
    df["default"] = (rng.random(200) < 0.3).astype(int)
    good = tmp_path / "data.csv"
    df.to_csv(good, index=False)
    one = tmp_path / "oneclass.csv"
    df.assign(default=0).to_csv(one, index=False)
    txt = tmp_path / "data.txt"
    txt.write_text("x,default\n1,0\n")
    return {"good": str(good), "one": str(one), "txt": str(txt)}


@pytest.mark.parametrize(
    "argv,message",
    [
        (["report", "{good}", "--target", "nope", "--out", "{tmp}"], "column 'nope' not found"),
        (["report", "{txt}", "--target", "default", "--out", "{tmp}"], "unsupported type"),
        (["report", "{one}", "--target", "default", "--out", "{tmp}"], "single class"),
        (
            ["report", "{good}", "--target", "default", "--protected", "zz", "--out", "{tmp}"],
            "column 'zz' not found",
        ),
        (["psi", "{good}", "{good}", "--columns", "nope"], "column 'nope' not found"),
        (["psi", "{txt}", "{good}"], "unsupported type"),
        (["psi", "{good}", "missing.csv"], "not found"),
        (
            ["bounds", "{good}", "--treatment", "nope", "--outcome", "x", "--support", "0", "1"],
            "column 'nope' not found",
        ),
        (
            ["bounds", "{txt}", "--treatment", "default", "--outcome", "x", "--support", "0", "1"],
            "unsupported type",
        ),
        (
            ["bounds", "{one}", "--treatment", "default", "--outcome", "x", "--support", "-9", "9"],
            "treat",
        ),
        (["pn", "{good}", "--columns", "nope", "--family", "normal"], "column 'nope' not found"),
        (["pn", "{txt}", "--columns", "x", "--family", "normal"], "unsupported type"),
        (["pn", "{good}", "--columns", "x", "--family", "poisson"], "poisson"),
    ],
)
def test_bad_input_exit_code_and_message(files, tmp_path, capsys, argv, message):
    args = [a.format(tmp=tmp_path / "out", **files) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("infodiv: error:")
    assert message in err[0]
