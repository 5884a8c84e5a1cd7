"""`infodiv validate` end to end, and report.json / validation.json against their JSON Schemas."""

import json

import numpy as np
import pandas as pd
import pytest

import infodiv.credit
from infodiv.cli import main
from infodiv.reporting import SUMMARY_COLUMNS, schema, schema_path, validate_json

jsonschema = pytest.importorskip("jsonschema")
needs_pack = pytest.mark.skipif(
    not hasattr(infodiv.credit, "validation_pack"),
    reason="infodiv.credit.validation_pack not in this tree yet",
)


def test_schema_files_are_valid_json_schemas():
    for kind in ("report", "validation"):
        s = schema(kind)
        jsonschema.Draft202012Validator.check_schema(s)
        assert schema_path(kind).name == f"{kind}.schema.json"
        assert s["properties"]["kind"] == {"const": kind}


def _minimal(kind="report"):
    from infodiv.reporting import Report, Section

    rep = Report("t", meta={"event rate": 0.2}, kind=kind)
    sec = rep.add(Section("s", "S"))
    sec.table("A table", pd.DataFrame({"x": [1.5], "n": [3]}), "One row.")
    return rep.to_dict()


def test_the_schema_bites():
    data = _minimal()
    validate_json(data)
    bad = json.loads(json.dumps(data))
    bad["sections"]["s"]["tables"]["a_table"]["records"][0]["Bad Key"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validate_json(bad)
    bad = json.loads(json.dumps(data))
    del bad["schema_version"]
    with pytest.raises(jsonschema.ValidationError):
        validate_json(bad)
    bad = json.loads(json.dumps(data))
    bad["sections"]["s"]["tables"]["a_table"]["records"][0]["n"] = 3.5  # declared integer
    with pytest.raises(ValueError, match="is not integer"):
        validate_json(bad)
    with pytest.raises(jsonschema.ValidationError):
        validate_json(_minimal(), "validation")  # kind is "report"


def test_report_json_follows_its_schema_with_numeric_bin_edges(tmp_path):
    rng = np.random.default_rng(5)
    n = 800
    df = pd.DataFrame({"x": rng.normal(size=n), "g": rng.choice(["a", "b"], n)})
    df["default"] = (rng.random(n) < 1 / (1 + np.exp(1 - 1.5 * df["x"]))).astype(int)
    df.to_csv(tmp_path / "d.csv", index=False)
    argv = ["report", str(tmp_path / "d.csv"), "--target", "default", "--quiet"]
    assert main([*argv, "--format", "json", "--out", str(tmp_path / "o")]) == 0
    data = json.loads((tmp_path / "o" / "report.json").read_text())
    validate_json(data, "report")
    assert data["schema_version"].startswith("1.")
    meta = data["metadata"]
    assert (
        meta["data_files"][0]["sha256"]
        == __import__("hashlib").sha256((tmp_path / "d.csv").read_bytes()).hexdigest()
    )
    assert meta["seed"] == 0 and meta["command_line"].startswith("infodiv report ")
    woe = data["sections"]["iv"]["tables"]["woe_x"]
    types = {c["name"]: c["type"] for c in woe["columns"]}
    assert types["bin_lower"] == types["bin_upper"] == "number"
    edge_rows = [
        r for r in woe["records"] if r["bin_lower"] is not None or r["bin_upper"] is not None
    ]
    assert len(edge_rows) >= 2
    # consecutive bins share their edge, and the first/last are open (null)
    assert edge_rows[0]["bin_lower"] is None and edge_rows[-1]["bin_upper"] is None
    for a, b in zip(edge_rows[:-1], edge_rows[1:], strict=True):
        assert a["bin_upper"] == b["bin_lower"]
        assert f"{a['bin_upper']:.6g}"[:4] in b["bin"]  # the label prints the same edge
    statuses = {r["status"] for r in data["summary"]["records"]}
    assert statuses <= {"green", "amber", "red", "info"}
    assert sum(data["summary"]["counts"].values()) == len(data["summary"]["records"])


@pytest.fixture(scope="module")
def two_samples(tmp_path_factory):
    """A development and a drifted current sample with a score, an id, and overlapping ids."""
    tmp = tmp_path_factory.mktemp("validate")
    rng = np.random.default_rng(11)

    def sample(n, shift, ids):
        x = rng.normal(shift, 1, n)
        pd_ = 1 / (1 + np.exp(2 - x))
        return pd.DataFrame(
            {
                "id": ids,
                "x": x,
                "z": rng.normal(size=n),
                "score": pd_,
                "default": (rng.random(n) < pd_).astype(int),
            }
        )

    dev = sample(3000, 0.0, np.arange(3000))
    cur = sample(2000, 0.6, np.arange(1000, 3000))  # drifted: PSI red, calibration off
    dev.to_csv(tmp / "dev.csv", index=False)
    cur.to_csv(tmp / "cur.csv", index=False)
    return {"dev": str(tmp / "dev.csv"), "cur": str(tmp / "cur.csv"), "tmp": tmp}


@needs_pack
def test_validate_writes_three_files_and_exits_0_even_with_red_tests(two_samples, capsys):
    out = two_samples["tmp"] / "out"
    argv = ["validate", two_samples["dev"], two_samples["cur"], "--target", "default"]
    argv += ["--score", "score", "--id", "id", "--out", str(out)]
    assert main(argv) == 0
    for name in ("validation.html", "validation.md", "validation.json"):
        assert (out / name).is_file()
    data = json.loads((out / "validation.json").read_text())
    validate_json(data, "validation")
    assert data["kind"] == "validation"
    assert data["summary"]["counts"]["red"] >= 1  # the drift is seen, and the exit is still 0
    assert "stability" in data["sections"] and data["sections"]["stability"]["figures"]
    # the plots' points and the thresholds are in the JSON for machines
    roc = data["sections"]["discrimination"]["data"]["curves"]["roc"]
    assert {"fpr", "tpr"} <= set(roc[0]) and roc[0]["fpr"] == 0.0
    assert data["sections"]["overview"]["data"]["thresholds"]["psi"] == {"amber": 0.1, "red": 0.25}
    assert [c["name"] for c in data["summary"]["columns"]] == SUMMARY_COLUMNS
    assert "green" in capsys.readouterr().out
    html = (out / "validation.html").read_text()
    assert html.index("Executive summary") < html.index('id="calibration"')


@needs_pack
@pytest.mark.parametrize(
    "extra,message",
    [
        (["--target", "nope"], "column 'nope' not found"),
        (["--target", "default", "--score", "nope"], "column 'nope' not found"),
        (["--target", "default", "--grades", "a,b"], "--grades"),
        (["--target", "default", "--threshold", "psi=0.1"], "--threshold"),
        (["--target", "default", "--score", "score", "--model", "m.pkl"], "not both"),
        (["--target", "default", "--model", "missing.pkl"], "--model"),
    ],
)
def test_validate_user_errors_exit_2(two_samples, capsys, extra, message):
    argv = ["validate", two_samples["dev"], two_samples["cur"], *extra]
    assert main([*argv, "--out", str(two_samples["tmp"] / "bad")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("infodiv validate: error:")
    assert message in err[0]


def test_validate_needs_files_or_demo(capsys, tmp_path):
    assert main(["validate", "--out", str(tmp_path)]) == 2
    assert "required" in capsys.readouterr().err


@needs_pack
def test_validate_demo_says_the_snapshot_is_synthetic(tmp_path):
    out = tmp_path / "demo"
    assert main(["validate", "--demo", "--quiet", "--out", str(out)]) == 0
    data = json.loads((out / "validation.json").read_text())
    validate_json(data, "validation")
    assert any("SYNTHETIC" in p for p in data["sections"]["overview"]["text"])
    assert "SYNTHETIC" in (out / "validation.md").read_text()
    assert set(data["sections"]) >= {"calibration", "discrimination", "stability"}


def test_demo_snapshot_is_the_holdout_one_month_earlier():
    from infodiv.cli import taiwan_demo_samples

    dev, cur, snap = taiwan_demo_samples(0)
    assert len(dev) + len(cur) == 30000 and not set(dev["id"]) & set(cur["id"])
    assert (snap["id"] == cur["id"]).all()
    assert (snap["PAY_0"] == cur["PAY_2"]).all() and (snap["PAY_5"] == cur["PAY_6"]).all()
    assert (snap["BILL_AMT1"] == cur["BILL_AMT2"]).all()
    assert (snap["PAY_6"] == cur["PAY_6"]).all()  # the oldest month repeated
    assert (snap["LIMIT_BAL"] == cur["LIMIT_BAL"]).all()


def test_report_threshold_option_sets_the_status_and_bad_names_exit_2(tmp_path, capsys):
    rng = np.random.default_rng(6)
    n = 600
    df = pd.DataFrame({"x": rng.normal(size=n)})
    df["default"] = (rng.random(n) < 1 / (1 + np.exp(1 - 2 * df["x"]))).astype(int)
    df.to_csv(tmp_path / "d.csv", index=False)
    base = ["report", str(tmp_path / "d.csv"), "--target", "default", "--quiet"]
    base += ["--no-frontier", "--format", "json"]
    # an AUC threshold above any AUC makes the discrimination row red: NAME=AMBER,RED, the
    # syntax of `infodiv validate`
    assert main([*base, "--threshold", "auc=0.999,0.99", "--out", str(tmp_path / "o")]) == 0
    data = json.loads((tmp_path / "o" / "report.json").read_text())
    rows = data["summary"]["records"]
    auc = next(r for r in rows if r["test"].startswith("AUC"))
    assert auc["estimate"] < 0.99 and auc["status"] == "red"
    validate_json(data, "report")
    # the same columns as the validation pack's summary (test_validate_writes_...)
    assert [c["name"] for c in data["summary"]["columns"]] == SUMMARY_COLUMNS
    for bad, message in (
        ("nope=1,2", "unknown name"),
        ("psi_red=0.2", "NAME=AMBER,RED"),
        ("psi=0.3,0.2", "red must be >= amber"),
        ("auc=0.6,0.7", "red must be <= amber"),
    ):
        assert main([*base, "--threshold", bad, "--out", str(tmp_path / "p")]) == 2
        err = capsys.readouterr().err
        assert "argument --threshold" in err and message in err


@needs_pack
def test_validation_markdown_links_its_figures(two_samples):
    import re

    out = two_samples["tmp"] / "out_md"
    argv = ["validate", two_samples["dev"], two_samples["cur"], "--target", "default"]
    assert main([*argv, "--score", "score", "--id", "id", "--quiet", "--out", str(out)]) == 0
    md = (out / "validation.md").read_text()
    links = re.findall(r"!\[[^]]*\]\(([^)]+)\)", md)
    assert len(links) >= 4 and all((out / link).is_file() for link in links)
    assert md.index("## Executive summary") < md.index("## Calibration")


@needs_pack
def test_validate_with_a_pickled_scorecard_gets_the_model_checks(two_samples, tmp_path):
    import pickle
    import warnings

    from infodiv import Scorecard

    dev = pd.read_csv(two_samples["dev"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = Scorecard(random_state=0).fit(dev[["x", "z"]], dev["default"])
    with open(tmp_path / "card.pkl", "wb") as fh:
        pickle.dump(card, fh)
    argv = ["validate", two_samples["dev"], two_samples["cur"], "--target", "default"]
    argv += ["--model", str(tmp_path / "card.pkl"), "--quiet", "--format", "json"]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 0
    data = json.loads((tmp_path / "o" / "validation.json").read_text())
    validate_json(data, "validation")
    assert "coefficients" in data["sections"]["model"]["tables"]
    assert data["metadata"]["data_files"][-1]["role"] == "model"
    # a file that is no model is a user error
    (tmp_path / "junk.pkl").write_bytes(b"not a pickle")
    argv[argv.index("--model") + 1] = str(tmp_path / "junk.pkl")
    assert main([*argv, "--out", str(tmp_path / "p")]) == 2
