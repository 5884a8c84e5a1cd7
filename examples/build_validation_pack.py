"""Build (and execute) examples/validation_pack.ipynb with nbformat.

Run from the repository root::

    PYTHONPATH=$PWD python examples/build_validation_pack.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

md = nbformat.v4.new_markdown_cell
code = nbformat.v4.new_code_cell

cells = [
    md(
        "# The validation pack: the supervisor's tests on two periods\n\n"
        "Every year a PD model is validated on new data with the same set of tests: "
        "calibration (Jeffreys, binomial, Hosmer-Lemeshow, Spiegelhalter), discrimination "
        "(AUC and its change since the initial validation, KS, ROC and CAP), concentration of "
        "the rating grades, stability of the grades between two dates (the migration matrix), "
        "representativeness of the inputs (PSI) and the model's own soundness (coefficient "
        "signs, p-values, VIF, IV). `infodiv.credit.validation_pack` runs them all on a "
        "development and a current sample and returns results objects: every number with "
        "its SE or interval, every test with its null hypothesis in words "
        "(`docs/validation.md`).\n\n"
        "Here: the bundled Taiwan credit data, split 70/30 into a development and a current "
        "(holdout) sample."
    ),
    code(
        "%matplotlib inline\n"
        "import json\n\n"
        "import matplotlib.pyplot as plt\n"
        "import pandas as pd\n"
        "from sklearn.model_selection import train_test_split\n\n"
        "from infodiv.credit import (\n"
        "    concentration,\n"
        "    concentration_test,\n"
        "    jeffreys_test,\n"
        "    rating_grades,\n"
        "    validation_pack,\n"
        ")\n"
        "from infodiv.datasets import load_taiwan_credit\n\n"
        'pd.set_option("display.precision", 4)\n'
        'pd.set_option("display.width", 160)\n'
        'pd.set_option("display.max_colwidth", 120)\n\n'
        'df = load_taiwan_credit().reset_index()  # "ID" becomes a column\n'
        "dev, current = train_test_split(df, test_size=0.3, random_state=0, "
        'stratify=df["default"])\n'
        "len(dev), len(current)"
    ),
    md(
        "The migration matrix needs the same obligors at two dates. The data have one date, so "
        "we make a **synthetic** earlier snapshot of the current obligors: their payment "
        "history shifted back by one month (`PAY_2` becomes `PAY_0`, and so on). It stands in "
        "for last year's portfolio; with real data, pass the earlier snapshot as `snapshot=`."
    ),
    code(
        "earlier = current.copy()\n"
        'pay = ["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"]\n'
        "for later, before in zip(pay[:-1], pay[1:], strict=True):\n"
        "    earlier[later] = current[before]\n"
        "for k in range(1, 6):\n"
        '    earlier[f"BILL_AMT{k}"] = current[f"BILL_AMT{k + 1}"]\n'
        '    earlier[f"PAY_AMT{k}"] = current[f"PAY_AMT{k + 1}"]'
    ),
    md(
        "## The whole pack\n\n"
        "No score column and no model are given, so the default `Scorecard` (WoE logistic "
        "regression on StumpBinner bins, features with IV >= 0.02) is fitted on the "
        "development sample, as `infodiv report` does; its PD is the score. The rating grades "
        "are learned on the development score (`rating_grades`: StumpBinner with rising "
        "default rates, at least 5% of the rows a grade)."
    ),
    code(
        "r = validation_pack(\n"
        '    dev, current, target="default", id="ID", snapshot=earlier, random_state=0\n'
        ")\n"
        "r"
    ),
    md(
        "`r.tests` is the executive summary: one row per test, its null hypothesis in words, "
        "the p-value and a green / amber / red status against documented thresholds "
        "(`infodiv.credit.DEFAULT_THRESHOLDS`, overridable with `thresholds=`)."
    ),
    code('r.tests.drop(columns="null_hypothesis")'),
    code("r.thresholds"),
    md(
        "`r.meta` says where the score, the PDs and the grades came from, and keeps the "
        "warnings raised on the way (none are printed)."
    ),
    code("r.meta"),
    md(
        "## Rating grades\n\nGrade 1 is the best; the PD of a grade is its development default rate."
    ),
    code("r.grades"),
    code("r.grades.summary()"),
    md(
        "## Calibration\n\n"
        "The Jeffreys test per grade and for the portfolio (one-sided: a small p-value says the "
        "PD underestimates the default rate). Per-grade p-values are unadjusted; `pvalue_holm` "
        "adjusts them over the grades."
    ),
    code('cal = r.sections["calibration"]\ncal["jeffreys"]'),
    code('cal["hosmer_lemeshow"]'),
    code('cal["spiegelhalter"]'),
    code(
        'c = r.curves["calibration"]\n'
        "fig, ax = plt.subplots(figsize=(5, 4))\n"
        'ax.errorbar(c["pd"], c["observed"], yerr=[c["observed"] - c["ci_low"], '
        'c["ci_high"] - c["observed"]], fmt="o", capsize=3)\n'
        'lim = [0, c["ci_high"].max() * 1.05]\n'
        'ax.plot(lim, lim, "k:", lw=1)\n'
        'ax.set(xlabel="PD of the grade", ylabel="observed default rate (Jeffreys 95%)", '
        'title="Calibration by grade, current sample");'
    ),
    md(
        "## Discrimination\n\n"
        "The current-vs-initial AUC test of the ECB instructions takes the development AUC as "
        "known; the `auc_change_unpaired` version counts both samples' errors (the ECB one "
        "rejects too often when the initial AUC is itself an estimate: "
        "`benchmarks/results/validation_size.txt`)."
    ),
    code('d = r.sections["discrimination"]\nd["auc_change"]'),
    code('d["auc_change_unpaired"]'),
    code('d["ks"]'),
    code(
        'roc = r.curves["roc"]\n'
        "fig, ax = plt.subplots(figsize=(4, 4))\n"
        'for sample, part in roc.groupby("sample"):\n'
        '    ax.plot(part["fpr"], part["tpr"], label=sample)\n'
        'ax.plot([0, 1], [0, 1], "k:", lw=1)\n'
        'ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC")\n'
        "ax.legend();"
    ),
    md(
        "## Concentration\n\n"
        "The test of increased concentration ignores the number of obligors, and from some "
        "initial distributions it cannot reject at all: its smallest attainable p-value is "
        "reported with it."
    ),
    code('r.sections["concentration"]["current"]'),
    code('t = r.sections["concentration"]["increase_test"]\nt.pvalue, t.extra["min_pvalue"]'),
    md("The functions work on their own too: a grade distribution that piles into one grade."),
    code(
        "even = concentration(counts=[100] * 7)\n"
        "piled = concentration(counts=[10, 10, 10, 400, 10, 10, 10])\n"
        "concentration_test(even, piled)"
    ),
    md(
        "## Stability: the migration matrix\n\n"
        "Obligors matched by `ID` (never by row position) between the synthetic earlier "
        "snapshot and the current sample."
    ),
    code('mig = r.sections["stability"]["migration"]\nmig'),
    code("mig.counts.astype(int)"),
    md("## Representativeness and model checks"),
    code('r.sections["representativeness"]["psi_features"].head()'),
    code('r.sections["model"]["coefficients"]'),
    code('r.sections["model"]["iv"].head()'),
    md(
        "## One test on its own, and the JSON for machines\n\n"
        "Every test is a library function; `to_dict()` gives the whole pack as JSON "
        "(snake_case keys, tables as records, numbers as numbers)."
    ),
    code(
        "grades = rating_grades(r.model.predict_proba(dev[r.model.feature_names_in_])[:, 1], "
        'dev["default"])\n'
        "p_cur = r.model.predict_proba(current[r.model.feature_names_in_])[:, 1]\n"
        'jeffreys_test(current["default"].to_numpy(), p_cur, grades.assign(p_cur)).summary()'
    ),
    code(
        "d = r.to_dict()\n"
        "text = json.dumps(d, allow_nan=False)\n"
        'sorted(d), len(text), d["tests"][0]'
    ),
]

nb = nbformat.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
out = Path(__file__).resolve().parent / "validation_pack.ipynb"
NotebookClient(nb, timeout=600, kernel_name="python3").execute()
nbformat.write(nb, out)
print(f"wrote {out}")
