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
from infodiv.reporting import validate_json


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
    ivs = data["sections"]["iv"]["data"]["iv"]
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
    auc = [
        r
        for r in sections["scorecard"]["tables"]["holdout_metrics"]["records"]
        if r["metric"] == "AUC"
    ]
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
    assert len(err) == 1 and err[0].startswith(f"infodiv {argv[0]}: error:")
    assert message in err[0]


@pytest.fixture
def cli_files(tmp_path):
    rng = np.random.default_rng(1)
    n = 200
    df = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "t": rng.integers(0, 2, n),
            "y": rng.normal(size=n),
            "txt": rng.choice(["a", "b"], n),
            "default": (rng.random(n) < 0.3).astype(int),
        }
    )
    data = tmp_path / "data.csv"
    df.to_csv(data, index=False)
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    return {"data": str(data), "file": str(a_file), "tmp": str(tmp_path)}


BOUNDS = ["bounds", "{data}", "--treatment", "t", "--outcome", "y", "--support", "-9", "9"]


@pytest.mark.parametrize(
    "argv,option",
    [
        # --out: an existing file, a file inside a file, a folder where a file is wanted, a file
        # in a folder that does not exist
        (["report", "{data}", "--target", "default", "--out", "{file}"], "--out"),
        (["report", "{data}", "--target", "default", "--out", "{file}/sub"], "--out"),
        (["psi", "{data}", "{data}", "--out", "."], "--out"),
        (["psi", "{data}", "{data}", "--out", "{tmp}"], "--out"),
        (["psi", "{data}", "{data}", "--out", "{tmp}/missing/psi.csv"], "--out"),
        ([*BOUNDS, "--out", "{tmp}/missing/b.csv"], "--out"),
        (
            ["report", "{data}", "--target", "default", "--protected", "default", "--out", "{tmp}"],
            "--protected",
        ),
        (
            ["report", "{data}", "--target", "default", "--format", ",", "--out", "{tmp}"],
            "--format",
        ),
        (
            ["report", "{data}", "--target", "default", "--format", "pdf", "--out", "{tmp}"],
            "--format",
        ),
        (["report", "{data}", "--target", "default", "--alpha", "3", "--out", "{tmp}"], "--alpha"),
        ([*BOUNDS, "--covariates", "txt"], "--covariates"),
        ([*BOUNDS, "--covariates", ","], "--covariates"),
        ([*BOUNDS[:5], "txt", *BOUNDS[6:]], "--outcome"),
        ([*BOUNDS, "--rho", "-1"], "--rho"),
        ([*BOUNDS[:-2], "9", "-9"], "--support"),
        ([*BOUNDS, "--kind", "foo"], "--kind"),
        (["pn", "{data}", "--columns", "x", "--family", "normal", "--epsilon", "-1"], "--epsilon"),
        (["pn", "{data}", "--columns", "txt", "--family", "normal"], "--columns"),
        (["psi", "{data}", "{data}", "--columns", ","], "--columns"),
        (["report", "{data}", "--target", "x", "--out", "{tmp}"], "--target"),
        ([*BOUNDS[:3], "x", *BOUNDS[4:]], "--treatment"),
    ],
)
def test_user_errors_exit_2_with_one_line_naming_the_option(cli_files, capsys, argv, option):
    args = [a.format(**cli_files) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"infodiv {argv[0]}: error: argument {option}:"), err[0]


@pytest.mark.parametrize(
    "argv,option",
    [
        ([*BOUNDS, "--rho", "abc"], "--rho"),
        (["demo", "--alpha", "x"], "--alpha"),
        (["demo", "--bins", "0"], "--bins"),
        (["psi", "{data}", "{data}", "--bins", "x"], "--bins"),
        ([*BOUNDS, "--folds", "1"], "--folds"),
        (["report", "{data}", "--target", "default", "--seed", "-3", "--out", "{tmp}"], "--seed"),
        (["psi", "{data}"], "actual"),
        (["report", "{data}", "--target", "default"], "--out"),
    ],
)
def test_argparse_errors_are_one_line_too(cli_files, capsys, argv, option):
    with pytest.raises(SystemExit) as exc:
        main([a.format(**cli_files) for a in argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"infodiv {argv[0]}: error:") and option in err[0]


def test_report_out_folder_is_created_with_its_parents(tmp_path, capsys):
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"x": rng.normal(size=300), "default": rng.integers(0, 2, 300)})
    df.to_csv(tmp_path / "d.csv", index=False)
    out = tmp_path / "new" / "deeper"
    argv = [str(tmp_path / "d.csv"), "--target", "default", "--out", str(out), "--quiet"]
    assert main(["report", *argv, "--format", "md", "--no-frontier"]) == 0
    assert (out / "report.md").is_file()


def test_a_bug_keeps_its_traceback(monkeypatch, cli_files):
    import infodiv.cli as cli

    def broken(args):
        raise KeyError("a bug")

    monkeypatch.setattr(cli, "_psi", broken)
    with pytest.raises(KeyError):
        main(["psi", cli_files["data"], cli_files["data"]])


def test_help_lists_every_command_and_version_prints(capsys):
    from infodiv import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    parser = __import__("infodiv.cli", fromlist=["build_parser"]).build_parser()
    sub = next(
        a for a in parser._actions if isinstance(a, __import__("argparse")._SubParsersAction)
    )
    assert set(sub.choices) == {"demo", "report", "validate", "bounds", "pn", "psi", "score"}
    helps = {a.dest: a.help for a in sub._choices_actions}
    for name in sub.choices:
        assert helps[name]  # a one-line description of every command
        assert re.search(rf"^\s+{name}\s+\S", out, re.M), name
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"infodiv {__version__}"


@pytest.fixture
def drift_files(tmp_path):
    """A reference sample and a current one that holds a category the reference lacks."""
    rng = np.random.default_rng(3)
    n = 400
    ref = pd.DataFrame({"x": rng.normal(size=n), "g": rng.choice(["a", "b"], n)})
    cur = pd.DataFrame({"x": rng.normal(size=n), "g": rng.choice(["a", "b", "new"], n)})
    for df in (ref, cur):
        df["default"] = (rng.random(n) < 0.3).astype(int)
        df["sex"] = rng.choice(["F", "M"], n)
    paths = {"ref": tmp_path / "ref.csv", "cur": tmp_path / "cur.csv"}
    ref.to_csv(paths["ref"], index=False)
    cur.to_csv(paths["cur"], index=False)
    return paths, cur


def test_cli_psi_counts_new_categories_in_an_unseen_bin(drift_files, tmp_path, capsys):
    paths, cur = drift_files
    out = tmp_path / "psi.json"
    assert main(["psi", str(paths["ref"]), str(paths["cur"]), "--out", str(out)]) == 0
    rows = {r["feature"]: r for r in json.loads(out.read_text())}
    assert rows["g"]["n_unseen"] == int((cur["g"] == "new").sum()) > 0
    assert np.isfinite(rows["g"]["psi"]) and rows["x"]["n_unseen"] == 0


def test_cli_report_survives_new_categories_and_flags_them(drift_files, tmp_path):
    paths, cur = drift_files
    out = tmp_path / "rep"
    # the model is fitted on the current data; the baseline lacks 'new': PSI over the model's
    # bins; then a baseline holding a category the model never saw
    argv = ["--target", "default", "--protected", "sex", "--out", str(out), "--quiet"]
    assert main(["report", str(paths["ref"]), "--baseline", str(paths["cur"]), *argv]) == 0
    data = json.loads((out / "report.json").read_text())
    psi_rows = data["sections"]["psi"]["tables"]["psi_current_vs_baseline"]["records"]
    g = next(r for r in psi_rows if r["feature"] == "g")
    assert g["n_unseen"] == 0 and np.isfinite(g["psi"])  # unseen rows are in the baseline
    assert data["sections"]["psi"]["data"]["unseen"]["current vs baseline"] == {
        "current": {},
        "baseline": {"g": int((cur["g"] == "new").sum())},
    }
    md = (out / "report.md").read_text()
    assert "n_unseen" in md and "categories in no bin of the model are held by the baseline" in md
    # and the other way round: the current sample holds the new category, the model never saw it
    assert main(["report", str(paths["cur"]), "--baseline", str(paths["ref"]), *argv]) == 0
    assert main(["report", str(paths["ref"]), "--split-by", "sex", *argv[:2], *argv[4:]]) == 0


# ---------------------------------------------------------------- numbers for people


def _md_tables(md):
    """Every Markdown table of the text: {title: (header cells, rows of cells)}."""
    tables, title, block = {}, None, []

    def cells(line):
        return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]

    for line in [*md.splitlines(), ""]:
        if line.startswith("### "):
            title = line[4:]
        elif line.startswith("## "):
            title = line[3:]
        if line.startswith("|"):
            block.append(line)
        elif block:
            tables[title] = (cells(block[0]), [cells(b) for b in block[2:]])
            block = []
    return tables


COUNT_RE = re.compile(r"^(-?\d{1,3}(,\d{3})*(\.\d\d)?|)$")
PVALUE_RE = re.compile(r"^(<0\.001|[01]\.\d{3}|)$")


def _int(text):
    return int(text.replace(",", ""))


def test_markdown_tables_print_numbers_for_people(demo_dir):
    md = (demo_dir / "report.md").read_text()
    tables = _md_tables(md)
    assert len(tables) > 20
    woe = 0
    for title, (head, rows) in tables.items():
        for row in rows:
            assert len(row) == len(head), (title, row)  # no label breaks the table
            assert not any(re.search(r"\de\+\d", c) for c in row), (title, row)
        cols = {h: [r[i] for r in rows] for i, h in enumerate(head)}
        for h, values in cols.items():
            if h in ("count", "goods", "bads", "rows", "df", "missing", "distinct") or (
                h.startswith("n_") or h in ("n1", "n2")
            ):
                assert all(COUNT_RE.match(v) for v in values), (title, h, values)
            if h.endswith("pvalue"):
                assert all(PVALUE_RE.match(v) for v in values), (title, h, values)
        if title and title.startswith("WoE: "):
            woe += 1
            for g, b, n in zip(cols["goods"], cols["bads"], cols["count"], strict=True):
                assert _int(g) + _int(b) == _int(n), (title, g, b, n)
    assert woe >= 5
    # estimates: 4 significant digits (IV table: compare with the JSON's full numbers)
    data = json.loads((demo_dir / "report.json").read_text())
    head, rows = tables["Information value"]
    iv_table = data["sections"]["iv"]["tables"]["information_value"]["records"]
    full = {r["feature"]: r for r in iv_table}
    for row in rows:
        f, est = row[0], row[head.index("estimate")]
        digits = est.replace("-", "").replace(".", "").lstrip("0")
        assert len(digits) == 4 or float(est) == 0, est
        assert float(est) == pytest.approx(full[f]["estimate"], rel=5e-4)
        p = full[f]["pvalue"]
        assert row[head.index("pvalue")] == ("<0.001" if p < 0.001 else f"{p:.3f}")


def test_json_counts_are_integers_and_html_has_no_scientific_counts(demo_dir):
    data = json.loads((demo_dir / "report.json").read_text())
    tables = data["sections"]["iv"]["tables"]
    woe = [t["records"] for name, t in tables.items() if name.startswith("woe_")]
    assert len(woe) >= 5
    for t in woe:
        for r in t:
            assert all(isinstance(r[c], int) for c in ("count", "goods", "bads"))
            assert r["goods"] + r["bads"] == r["count"]
    html = (demo_dir / "report.html").read_text()
    assert not re.search(r"<td>-?\d+(\.\d+)?e\+\d+</td>", html)
    assert "<td>&lt;0.001</td>" in html


def test_markdown_escapes_pipes_and_weighted_counts_read_alike():
    from infodiv.reporting import Report, Section

    rep = Report("t")
    sec = rep.add(Section("s", "S"))
    sec.tables["labels"] = pd.DataFrame(
        {"bin": ["1 | 2", "a|b|c"], "count": [10320.0, 7.0], "pvalue": [1e-12, 0.25]},
        index=pd.Index(["x|y", "z"], name="feature"),
    )
    sec.tables["weighted"] = pd.DataFrame(
        {"count": [2.5, 4.0], "goods": [1.5, 2.0], "bads": [1.0, 2.0], "df": [1.0, 2.0]}
    )
    md, _ = rep.to_markdown()
    tables = _md_tables(md)
    head, rows = tables["labels"]
    assert head == ["feature", "bin", "count", "pvalue"]
    assert rows == [["x\\|y", "1 \\| 2", "10,320", "<0.001"], ["z", "a\\|b\\|c", "7", "0.250"]]
    head, rows = tables["weighted"]
    # a plain range index is not printed
    assert rows == [["2.50", "1.50", "1.00", "1"], ["4.00", "2.00", "2.00", "2"]]


def test_demo_summary_lists_every_section_and_follows_the_rules(demo_dir):
    data = json.loads((demo_dir / "report.json").read_text())
    rows = data["summary"]["records"]
    assert {r["section"] for r in rows} == {
        "Information value",
        "Discrimination",
        "Calibration",
        "Stability",
        "Fairness",
        "Fair lending",
    }
    assert all(r["null_hypothesis"] for r in rows)
    by = {r["test"]: r for r in rows}
    # the fairness row is the fairness table's score row, its status by the documented rule
    fair = data["sections"]["fairness"]["tables"]["fairness_iv_by_feature_and_score_holdout_sex"]
    score_row = next(r for r in fair["records"] if r["feature"] == "score")
    f_row = next(r for t, r in by.items() if t.startswith("Fairness IV of the score"))
    assert f_row["estimate"] == pytest.approx(score_row["fairness_iv"])
    j = score_row["fairness_iv"]
    assert f_row["status"] == ("green" if j < 0.02 else "amber" if j < 0.10 else "red")
    # the four-fifths row: red when a verdict is 'below', amber when one is 'inconclusive'
    cut = data["sections"]["lenders"]["tables"]["cut_off_metrics_holdout_sex"]["records"]
    verdicts = [r["four_fifths"] for r in cut]
    ff_row = by["Four-fifths rule (SEX, holdout)"]
    expected = "red" if "below" in verdicts else "amber" if "inconclusive" in verdicts else "green"
    assert ff_row["status"] == expected
    assert ff_row["estimate"] == pytest.approx(min(r["air"] for r in cut))
    # the AUC row: one-sided z test of AUC = 0.5 from the table's AUC and SE, by hand
    from scipy import stats

    m = {
        r["metric"]: r
        for r in data["sections"]["scorecard"]["tables"]["holdout_metrics"]["records"]
    }
    auc_row = by["AUC of the PD (holdout)"]
    assert auc_row["pvalue"] == pytest.approx(
        stats.norm.sf((m["AUC"]["value"] - 0.5) / m["AUC"]["se"])
    )
    assert auc_row["status"] == ("green" if m["AUC"]["value"] >= 0.7 else "amber")
    assert auc_row["estimate"] == pytest.approx(m["AUC"]["value"])
    assert auc_row["statistic"] == pytest.approx((m["AUC"]["value"] - 0.5) / m["AUC"]["se"])
    # Hosmer-Lemeshow from the calibration table, by hand
    cal = data["sections"]["scorecard"]["tables"]["calibration_by_decile_holdout"]["records"]
    h = sum(
        (r["observed"] * r["n"] - r["n"] * r["predicted"]) ** 2
        / (r["n"] * r["predicted"] * (1 - r["predicted"]))
        for r in cal
    )
    hl = by["Hosmer-Lemeshow over PD deciles (holdout)"]
    assert hl["statistic"] == pytest.approx(h)
    # G degrees of freedom: the PDs were not fitted on the holdout rows
    assert hl["pvalue"] == pytest.approx(stats.chi2.sf(h, len(cal)))
    # ... and it is credit.hosmer_lemeshow on the same deciles: one row per holdout obligor
    # rebuilt from the table (each decile's n rows at its mean PD, with its defaults)
    from infodiv.credit import hosmer_lemeshow

    y_rows = np.concatenate(
        [np.r_[np.ones(r["defaults"]), np.zeros(r["n"] - r["defaults"])] for r in cal]
    )
    pd_rows = np.concatenate([np.full(r["n"], r["predicted"]) for r in cal])
    g_rows = np.concatenate([np.full(r["n"], i) for i, r in enumerate(cal)])
    ref = hosmer_lemeshow(y_rows, pd_rows, g_rows, fitted=False)
    assert hl["statistic"] == pytest.approx(ref.statistic, rel=1e-9)
    assert hl["estimate"] == pytest.approx(ref.estimate, rel=1e-9)
    assert hl["pvalue"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert set(data["summary"]["records"][0]) >= {"estimate", "statistic", "pvalue", "status"}
    # Jeffreys intervals of the calibration table: Beta(k + 1/2, n - k + 1/2) quantiles
    for r in cal:
        k, n = r["defaults"], r["n"]
        assert r["ci_low"] == pytest.approx(stats.beta.ppf(0.025, k + 0.5, n - k + 0.5))
        assert r["ci_high"] == pytest.approx(stats.beta.ppf(0.975, k + 0.5, n - k + 0.5))
    validate_json(data, "report")


def test_demo_html_has_the_plots_and_metadata(demo_dir):
    html = (demo_dir / "report.html").read_text()
    for name in (
        "ROC and CAP curves (holdout)",
        "Calibration (holdout)",
        "Score distribution by class (holdout)",
        "PSI by feature: holdout vs development",
        "WoE by bin: ",
    ):
        assert f'alt="{name}' in html, name
    assert html.index("Executive summary") < html.index('id="data"')
    data = json.loads((demo_dir / "report.json").read_text())
    meta = data["metadata"]
    from infodiv.datasets import data_path
    from infodiv.reporting import sha256_file

    assert meta["data_files"][0]["sha256"] == sha256_file(data_path("uci_credit_card.csv.gz"))
    assert meta["command_line"].startswith("infodiv report --demo")
    assert {"numpy", "pandas", "scipy", "scikit-learn"} <= set(meta["packages"])
