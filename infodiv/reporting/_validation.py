"""The validation report behind ``infodiv validate``: a :class:`~infodiv.credit.ValidationResult`
as a :class:`~infodiv.reporting.Report` (executive summary, one section per part of the
validation pack, plots, run metadata)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from infodiv.reporting._summary import SUMMARY_COLUMNS, threshold_note
from infodiv.reporting._writer import Report, Section, figure_png, table_json

__all__ = ["build_validation_report"]

#: Section titles and introductions, by the validation pack's section keys (report order).
SECTION_TEXT: dict[str, tuple[str, str]] = {
    "grades": (
        "Rating grades",
        "The rating grades: score range and PD of each grade (the development default rate "
        "with its interval).",
    ),
    "calibration": (
        "Calibration",
        "Do the grades' PDs match the observed default rates of the current sample? Jeffreys "
        "and binomial tests per grade and for the portfolio (one-sided: H0 is that the PD is "
        "not underestimated), Hosmer-Lemeshow and Spiegelhalter (two-sided).",
    ),
    "discrimination": (
        "Discrimination",
        "Does the score still rank defaulters above non-defaulters? AUC (Gini = 2 AUC - 1) on "
        "both samples with intervals, the test of the current AUC against the initial one, "
        "and KS.",
    ),
    "concentration": (
        "Concentration",
        "How concentrated are the obligors in the grades? Coefficient of variation and "
        "Herfindahl index (classic and normalised), and the test of increased concentration.",
    ),
    "stability": (
        "Stability (migration)",
        "Do obligors keep their grades between two snapshots? The migration matrix with the "
        "matrix weighted bandwidths (upper and lower) and the shares that stayed, moved one "
        "grade, or moved more.",
    ),
    "representativeness": (
        "Representativeness",
        "Is the current population like the development one? PSI (infodiv's, with SE and "
        "the chi-square test of no drift) of the score, the grades and every feature, and the "
        "missing and special-value rates.",
    ),
    "model": (
        "Model checks",
        "Coefficient signs against the WoE direction, coefficient p-values, VIF, and the IV "
        "of every feature on development and current data.",
    ),
}

#: One-line captions of the known tables (section, name).
CAPTIONS: dict[tuple[str, str], str] = {
    ("calibration", "grades"): "Each grade's PD with its interval, rows, defaults, share and "
    "score range.",
    ("calibration", "jeffreys"): "Jeffreys test per grade and for the portfolio: PD, observed "
    "rate, one-sided p-value (H0: the PD is not underestimated).",
    ("calibration", "binomial"): "Binomial test per grade and for the portfolio (H0: the PD "
    "is not underestimated).",
    ("calibration", "hosmer_lemeshow"): "Hosmer-Lemeshow chi-square over the grades with its "
    "degrees of freedom (H0: every grade's PD is right).",
    ("calibration", "spiegelhalter"): "Spiegelhalter test of the Brier score (H0: the PDs are "
    "the true default probabilities).",
    ("discrimination", "auc_dev"): "AUC on the development sample with its interval.",
    ("discrimination", "auc_current"): "AUC on the current sample with its interval.",
    ("discrimination", "auc_change"): "Test of the current AUC against the initial one (H0: "
    "the AUC has not fallen).",
    ("discrimination", "auc_change_unpaired"): "The same test with the SEs of both samples.",
    ("discrimination", "ks"): "Kolmogorov-Smirnov distance between the score distributions "
    "of defaulters and non-defaulters (H0: no discrimination).",
    ("concentration", "dev"): "Concentration of the development obligors in the grades.",
    ("concentration", "current"): "Concentration of the current obligors in the grades.",
    ("concentration", "increase_test"): "Test of increased concentration (H0: the "
    "concentration has not increased), with the smallest attainable p-value.",
    ("stability", "migration"): "Matrix weighted bandwidths and the shares that stayed, "
    "moved one grade, moved more.",
    ("stability", "matrix"): "Migration matrix: obligors by grade at the first snapshot "
    "(rows) and at the second (columns).",
    ("representativeness", "psi_score"): "PSI of the score, development vs current (H0: "
    "the same distribution).",
    ("representativeness", "psi_grades"): "PSI of the grades, development vs current (H0: "
    "the same distribution).",
    ("representativeness", "psi_features"): "PSI of every feature with SE, interval and the "
    "p-value of no drift.",
    ("representativeness", "rates"): "Missing and special-value rates per feature, "
    "development vs current, with the test of equal rates.",
    ("model", "coefficients"): "Coefficients with SE, interval, p-value, the sign expected "
    "from the WoE direction and whether it holds.",
    ("model", "vif"): "Variance inflation factor of every WoE feature.",
    ("model", "iv"): "IV of every feature on development and current data.",
}

#: Tables with more rows than this are folded in the HTML.
FOLD_ROWS = 12


def _as_table(obj: Any) -> pd.DataFrame | None:
    """A results object or table as a DataFrame (None when it is neither)."""
    if isinstance(obj, pd.DataFrame):
        return obj
    if isinstance(obj, pd.Series):
        return obj.to_frame()
    summary = getattr(obj, "summary", None)
    if callable(summary):
        try:
            t = summary()
        except Exception:  # a results object that cannot summarise itself: no table
            return None
        if isinstance(t, pd.DataFrame):
            return t
    return None


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _figures(sec: Section, key: str, result: Any, alpha: float) -> None:
    from infodiv.plotting import (
        plot_calibration,
        plot_migration,
        plot_psi,
        plot_roc_cap_curves,
        plot_score_histogram,
    )

    curves = getattr(result, "curves", {}) or {}
    if key == "calibration" and "calibration" in curves:
        c = curves["calibration"]
        sec.figure(
            "Calibration by grade",
            figure_png(
                plot_calibration(
                    c["pd"],
                    c["observed"],
                    c.get("ci_low"),
                    c.get("ci_high"),
                    labels=[str(g) for g in c["grade"]] if "grade" in c.columns else None,
                    title="Calibration by grade (current sample)",
                )
            ),
            f"Observed default rate against the grade's PD with {100 * (1 - alpha):g}% "
            "Jeffreys intervals; points above the diagonal are grades whose PD is too low.",
        )
    if key == "discrimination" and "roc" in curves and "cap" in curves:
        sec.figure(
            "ROC and CAP curves",
            figure_png(plot_roc_cap_curves(curves["roc"], curves["cap"])),
            "Development and current samples; the further from the diagonal, the better the "
            "ranking (AR = 2 AUC - 1).",
        )
    if key == "discrimination" and "score_distribution" in curves:
        sec.figure(
            "Score distribution by class",
            figure_png(plot_score_histogram(curves["score_distribution"])),
            "Density of defaulters and non-defaulters per score bin (share of the class "
            "over the bin width); the less they overlap, the better the score separates.",
        )
    if key == "stability":
        matrix = result.sections.get("stability", {}).get("matrix")
        if isinstance(matrix, pd.DataFrame) and matrix.size:
            sec.figure(
                "Migration matrix",
                figure_png(plot_migration(matrix)),
                "Row share (colour) and count of obligors by grade at the first (rows) and "
                "second (columns) snapshot; the diagonal stayed.",
            )
    if key == "representativeness":
        psi = result.sections.get("representativeness", {}).get("psi_features")
        if isinstance(psi, pd.DataFrame) and len(psi):
            t = psi.rename(columns={"estimate": "psi"}) if "psi" not in psi.columns else psi
            th = getattr(result, "thresholds", {}).get("psi", (0.10, 0.25))
            sec.figure(
                "PSI by feature",
                figure_png(
                    plot_psi(t, amber=th[0], red=th[1], title="PSI, development vs current")
                ),
                "Bars coloured by traffic light with the PSI's interval; dashed and dotted "
                "lines are the amber and red thresholds.",
            )


def build_validation_report(
    result: Any,
    *,
    title: str = "infodiv validation report",
    metadata: dict[str, Any] | None = None,
    notes: list[str] | None = None,
    settings: dict[str, Any] | None = None,
    alpha: float = 0.05,
) -> Report:
    """The validation report of a :class:`~infodiv.credit.ValidationResult`.

    The executive summary is ``result.tests`` (a row with no test states so in its null
    hypothesis column); each section of ``result.sections`` becomes a report section with
    one captioned table per results object and its plots (calibration with Jeffreys
    intervals, ROC and CAP, score by class, migration heat map, PSI bars); sections the pack
    left out say why.

    Parameters
    ----------
    result : ValidationResult
        From :func:`infodiv.credit.validation_pack`.
    title : str
        The report's title.
    metadata : dict, optional
        Run metadata (:func:`infodiv.reporting.run_metadata`).
    notes : list of str, optional
        Paragraphs for the first section (e.g. that a snapshot is synthetic).
    settings : dict, optional
        Settings shown under the title.
    alpha : float, default 0.05
        1 - the level of the intervals (for the captions).

    Returns
    -------
    Report
        With ``kind="validation"`` (files ``validation.html``, ``.md``, ``.json``).
    """
    from infodiv.reporting._meta import run_metadata

    tests = result.tests.copy()
    if "null_hypothesis" in tests.columns:
        empty = tests["null_hypothesis"].fillna("").astype(str).str.strip() == ""
        tests.loc[empty, "null_hypothesis"] = (
            "none: a measure read against the thresholds, not a test"
        )
    meta = dict(settings or {})
    thresholds = getattr(result, "thresholds", {}) or {}
    report = Report(
        title,
        meta=meta,
        summary=tests.reindex(columns=SUMMARY_COLUMNS).reset_index(drop=True),
        summary_note=threshold_note(
            thresholds,
            [k for k in thresholds if k != "fairness"],
            "The KS row (its rejection is the good outcome) is green when its p-value is "
            "below the amber p-value, red otherwise.",
        ),
        metadata=metadata if metadata is not None else run_metadata(),
        kind="validation",
    )
    overview = report.add(Section("overview", "Samples and grades"))
    overview.text += list(notes or [])
    rmeta = getattr(result, "meta", {}) or {}
    if rmeta:
        overview.table(
            "Run facts",
            pd.DataFrame(
                {"value": [str(v) for v in rmeta.values()]},
                index=pd.Index([str(k) for k in rmeta], name="item"),
            ),
            "Sizes, default rates, and where the score, the PD and the grades came from.",
        )
    grades = getattr(result, "grades", None)
    gt = _as_table(grades) if grades is not None else None
    if gt is not None:
        bounds = getattr(grades, "bounds", None)
        if isinstance(bounds, pd.DataFrame):
            gt = gt.join(bounds, how="left") if gt.index.equals(bounds.index) else gt
        overview.table(
            "Rating grades",
            gt,
            "Each grade's score range, rows, defaults and PD with its interval (grade 1 is "
            "the best).",
        )
    absent = getattr(result, "absent", {}) or {}
    overview.data["thresholds"] = {
        k: {"amber": float(a), "red": float(r)} for k, (a, r) in thresholds.items()
    }
    overview.data["absent"] = dict(absent)
    overview.data["meta"] = {str(k): v for k, v in rmeta.items()}
    curves = getattr(result, "curves", {}) or {}
    where = {
        "calibration": "calibration",
        "roc": "discrimination",
        "cap": "discrimination",
        "score_distribution": "discrimination",
        "migration": "stability",
    }
    for key in [*SECTION_TEXT, *[k for k in result.sections if k not in SECTION_TEXT]]:
        if key == "grades":
            continue
        if key not in result.sections and key not in absent:
            continue
        head, intro = SECTION_TEXT.get(key, (_label(key), ""))
        sec = report.add(Section(key, head))
        if intro:
            sec.text.append(intro)
        if key in absent:
            sec.text.append(f"Left out: {absent[key]}.")
            continue
        for name, obj in result.sections[key].items():
            t = _as_table(obj)
            if t is None:
                continue
            caption = CAPTIONS.get((key, name), f"{_label(name)}.")
            sec.table(_label(name), t, caption, folded=len(t) > FOLD_ROWS)
        _figures(sec, key, result, alpha)
        # the points behind the plots, for machines (JSON only)
        mine = {c: v for c, v in curves.items() if where.get(c) == key}
        if mine:
            sec.data["curves"] = {
                c: table_json(v, f"{c} curve")["records"] for c, v in mine.items()
            }
    return report
