"""The model-documentation and monitoring report behind ``infodiv report``.

:func:`build_report` runs the whole credit workflow on one frame and returns a
:class:`~infodiv.reporting.Report`:

1. data overview;
2. binning (StumpBinner) and every feature's WoE table and IV with SE, CI and p-value;
3. a WoE logistic scorecard (coefficients with SEs, points table) and its holdout AUC with a
   DeLong CI, KS, Brier score and calibration by decile;
4. PSI of every feature (and of the score) between a baseline and the current data, or between
   the first value of a split column and each later value, with SE and drift flags;
5. with protected attributes: the fairness IV of every feature and of the score, with bias-aware
   upper bounds and demographic-parity bounds, and the predictive-power vs fairness frontier;
6. with protected attributes: the cut-off metrics lenders report (adverse impact ratio, approval
   and equal-opportunity differences, score SMD, with CIs) and the less discriminatory
   alternatives on the frontier (:mod:`infodiv.reporting._lenders`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from infodiv._validation import check_alpha, check_binary_target, check_open_interval
from infodiv.credit import check_thresholds, holdout_metrics, hosmer_lemeshow, jeffreys_interval
from infodiv.exceptions import InvalidParameterError
from infodiv.reporting._summary import status as status_by
from infodiv.reporting._summary import summary_row, summary_table, threshold_note
from infodiv.reporting._writer import Report, Section, figure_png

__all__ = ["build_report", "holdout_metrics", "prepare_frame", "woe_table_with_edges"]

PSI_H0 = "the feature's bin distribution is the same in both samples"


def _deciles(p: np.ndarray) -> np.ndarray:
    """Decile (1 to 10) of each PD, as in the calibration table of :func:`holdout_metrics`."""
    return np.asarray(pd.qcut(pd.Series(p).rank(method="first"), 10, labels=False)) + 1


def prepare_frame(df: pd.DataFrame, exclude: Sequence[str] = ()) -> pd.DataFrame:
    """Text columns become categorical (bins by category); other columns are kept as they are."""
    out = df.copy()
    for c in out.columns:
        if c in exclude:
            continue
        if not pd.api.types.is_numeric_dtype(out[c]) and not isinstance(
            out[c].dtype, pd.CategoricalDtype
        ):
            out[c] = out[c].astype("category")
    return out


def _psi_sections(
    report: Report,
    baseline: pd.DataFrame,
    current: dict[str, pd.DataFrame],
    features: list[str],
    bins: dict[str, Any],
    score: Any,
    alpha: float,
    thresholds: dict[str, tuple[float, float]],
    rows: list[dict[str, Any]],
) -> None:
    from infodiv.credit import psi_summary
    from infodiv.plotting import plot_psi

    sec = report.add(Section("psi", "Population stability (PSI)"))
    sec.text.append(
        "PSI is the Jeffreys divergence between the baseline and current bin distributions (the "
        "model's bins), with delta-method SE, a chi-square test of no change ('drift' at level "
        f"{alpha:g}) and the customary traffic light (green < 0.10 <= amber < 0.25 <= red)."
    )
    for name, cur in current.items():
        table = psi_summary(baseline[features], cur[features], bins=bins, alpha=alpha)
        if score is not None:
            s_tab = psi_summary(
                pd.DataFrame({"score": score(baseline)}),
                pd.DataFrame({"score": score(cur)}),
                bins=10,
                alpha=alpha,
            )
            table = pd.concat([s_tab, table])
        sec.table(
            f"PSI: {name}",
            table[
                [
                    "psi",
                    "se",
                    "ci_low",
                    "ci_high",
                    "pvalue",
                    "traffic_light",
                    "drift",
                    "n_bins",
                    "n_unseen",
                    "unseen_share",
                ]
            ],
            f"PSI of the score and of every feature, {name}, with SE, interval and the "
            f"p-value of 'no change' (H0: {PSI_H0}).",
        )
        sec.figure(
            f"PSI by feature: {name}",
            figure_png(
                plot_psi(
                    table,
                    amber=thresholds["psi"][0],
                    red=thresholds["psi"][1],
                    title=f"PSI, {name}",
                )
            ),
            "Bars coloured by traffic light, with the PSI's interval; the dashed and dotted "
            "lines are the amber and red thresholds.",
        )
        _psi_rows(rows, table, name, thresholds)
        unseen = {str(f): int(v) for f, v in table["n_unseen"].items() if v > 0}
        in_baseline = _cover_unseen({f: bins[f] for f in features}, baseline)[1]
        notes = []
        if unseen:
            notes.append(
                "the current sample: "
                + ", ".join(
                    f"{f} ({v:,} rows, {table.loc[f, 'unseen_share']:.2%})"
                    for f, v in unseen.items()
                )
            )
        if in_baseline:
            notes.append(
                "the baseline: " + ", ".join(f"{f} ({v:,} rows)" for f, v in in_baseline.items())
            )
        if notes:
            sec.text.append(
                f"{name}: categories in no bin of the model are held by {'; '.join(notes)}. "
                "They are counted in an extra 'unseen' bin; where one sample has no rows in "
                "that bin, the zero-cell rule adds half an observation to both samples there, "
                "so the PSI stays finite."
            )
        sec.data.setdefault("unseen", {})[name] = {"current": unseen, "baseline": in_baseline}
        if "ci_note" in table.columns and (table["ci_note"] != "").any():
            below = [str(f) for f in table.index[table["ci_note"] != ""]]
            sec.text.append(
                f"{name}: the interval lies below the PSI for {', '.join(below)}: there the PSI "
                "is mostly its small-sample bias and the chi-square statistic is near its null "
                "mean; the interval is for the PSI itself (docs/numbers.md)."
            )


def _psi_rows(
    rows: list[dict[str, Any]],
    table: pd.DataFrame,
    name: str,
    thresholds: dict[str, tuple[float, float]],
) -> None:
    """Summary rows: the PSI of the score, and the worst PSI over the features."""
    from infodiv.reporting._format import format_estimate, format_interval

    if "score" in table.index:
        r = table.loc["score"]
        rows.append(
            summary_row(
                "Stability",
                f"PSI of the score ({name})",
                "the score's distribution is the same in both samples",
                r.get("statistic", np.nan),
                r["pvalue"],
                status_by(r["psi"], "psi", thresholds),
                f"PSI {format_estimate(r['psi'])}, interval "
                f"{format_interval(r['ci_low'], r['ci_high'])}",
                estimate=r["psi"],
            )
        )
    feats = table.drop(index="score", errors="ignore")
    if len(feats):
        worst = feats["psi"].astype(float).idxmax()
        r = feats.loc[worst]
        status = [status_by(v, "psi", thresholds) for v in feats["psi"].astype(float)]
        flagged = [str(f) for f, st in zip(feats.index, status, strict=True) if st != "green"]
        rows.append(
            summary_row(
                "Stability",
                f"PSI of the features, largest of {len(feats)} ({name})",
                "every feature's bin distribution is the same in both samples (p-value of the largest PSI)",
                r.get("statistic", np.nan),
                r["pvalue"],
                status_by(r["psi"], "psi", thresholds),
                f"largest: {worst}; "
                + (
                    f"{len(flagged)} not green: {', '.join(flagged[:8])}"
                    + (" ..." if len(flagged) > 8 else "")
                    if flagged
                    else "all green"
                ),
                estimate=r["psi"],
            )
        )


def woe_table_with_edges(table: pd.DataFrame, bins: Any) -> pd.DataFrame:
    """A WoE table with ``bin_lower`` and ``bin_upper``: the numeric ends of each edge bin.

    Bins from edges ``e1 < ... < ek`` are ``(-inf, e1)``, ``[e1, e2)``, ..., ``[ek, inf)``;
    their ends are numbers (null for the infinite ones and for category, special-value,
    missing and total rows), so that machines need not parse the labels.

    Parameters
    ----------
    table : DataFrame
        ``WoETable.table``.
    bins : FeatureBins
        The feature's bins.

    Returns
    -------
    DataFrame
        A copy with the two columns after ``bin``.
    """
    out = table.copy()
    lower = np.full(len(out), np.nan)
    upper = np.full(len(out), np.nan)
    edges = getattr(bins, "edges", None)
    if edges is not None and getattr(bins, "time_dtype", None) is None:
        e = [float(v) for v in edges]
        ends = list(zip([-np.inf, *e], [*e, np.inf], strict=True))
        labels = list(getattr(bins, "labels", []))[: len(ends)]
        where = {str(lab): i for i, lab in enumerate(labels)}
        for r, lab in enumerate(out["bin"].astype(str)):
            i = where.get(lab)
            if i is not None:
                lo, hi = ends[i]
                lower[r] = lo if np.isfinite(lo) else np.nan
                upper[r] = hi if np.isfinite(hi) else np.nan
    pos = list(out.columns).index("bin") + 1 if "bin" in out.columns else 0
    out.insert(pos, "bin_lower", lower)
    out.insert(pos + 1, "bin_upper", upper)
    return out


def _cover_unseen(
    bins: dict[str, Any], frame: pd.DataFrame
) -> tuple[dict[str, Any], dict[str, int]]:
    """The bins with one more category group holding the values of ``frame`` in no bin.

    Returns the bins (unchanged where every value has a bin) and the rows in the new group by
    feature.
    """
    from infodiv.core import UNSEEN, FeatureBins

    out, unseen = dict(bins), {}
    for f, b in bins.items():
        if b.categories is None:
            continue
        codes = b.codes(frame[f])
        new = pd.unique(frame[f][codes == UNSEEN].astype(object)).tolist()
        if new:
            out[f] = FeatureBins(
                b.feature,
                categories=(*b.categories, tuple(new)),
                special_values=b.special_values,
            )
            unseen[f] = int((codes == UNSEEN).sum())
    return out, unseen


def build_report(
    df: pd.DataFrame,
    target: str,
    *,
    protected: Sequence[str] = (),
    event: Any = None,
    baseline: pd.DataFrame | None = None,
    split_by: str | None = None,
    test_size: float = 0.3,
    alpha: float = 0.05,
    random_state: int = 0,
    frontier: bool = True,
    progress: bool = True,
    title: str = "infodiv credit model report",
    n_woe_plots: int = 6,
    thresholds: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Report:
    """Run the workflow on ``df`` and return the report (see the module docstring).

    Parameters
    ----------
    df : DataFrame
        Development data: features, the binary ``target`` (1 = bad), optional protected and
        split columns.
    target : str
        Target column: 0/1 or boolean (1/``True`` = bad), or two labels with ``event``.
    protected : sequence of str
        Protected attributes: measured and constrained, never model inputs.
    event : label, optional
        The event (bad) value of the target column: needed unless it is 0/1 or boolean.
    baseline : DataFrame, optional
        A baseline sample for PSI (``df`` is then the current sample).
    split_by : str, optional
        A period (or other) column: PSI between its first value and each later value. Exclusive
        with ``baseline``. Without either, PSI compares the development and holdout samples.
    thresholds : dict, optional
        Status thresholds of the executive summary, ``{name: (amber, red)}`` for some names of
        :data:`infodiv.credit.DEFAULT_THRESHOLDS` (the report reads ``pvalue``, ``auc``,
        ``psi`` and ``fairness``); the others keep their defaults.
    metadata : dict, optional
        Run metadata (:func:`infodiv.reporting.run_metadata`); by default the versions and
        the date, with no data file.
    """
    from sklearn.model_selection import train_test_split
    from tqdm.auto import tqdm

    from infodiv.binning import StumpBinner
    from infodiv.credit import Scorecard, WoEEncoder
    from infodiv.plotting import plot_calibration, plot_roc_cap, plot_score_distribution, plot_woe
    from infodiv.reporting._format import format_count, format_estimate, format_interval
    from infodiv.reporting._meta import run_metadata

    th = check_thresholds(thresholds)
    rows: list[dict[str, Any]] = []
    alpha = check_alpha(alpha)
    test_size = check_open_interval(test_size, "test_size", 0.0, 1.0)
    if target not in df.columns:
        raise InvalidParameterError(f"column {target!r} (target) not found")
    for c in [*protected, *([split_by] if split_by else [])]:
        if c not in df.columns:
            raise InvalidParameterError(f"column {c!r} not found")
    if baseline is not None and split_by is not None:
        raise InvalidParameterError("give baseline or split_by, not both")
    if target in protected:
        raise InvalidParameterError(
            f"protected names the target column {target!r}; a protected attribute must be "
            "another column"
        )
    if split_by is not None and split_by in [target, *protected]:
        raise InvalidParameterError(
            f"split_by {split_by!r} is the target or a protected column; periods need a column "
            "of their own"
        )
    y_all = check_binary_target(df[target], f"target {target!r}", event)
    exclude = [target, *protected, *([split_by] if split_by else [])]
    data = prepare_frame(df, exclude=[target])
    features = [c for c in data.columns if c not in exclude]
    if not features:
        raise InvalidParameterError(
            "no feature columns left besides the target, protected and split columns"
        )

    steps = tqdm(total=5, desc="infodiv report", disable=not progress)
    report = Report(
        title,
        meta={
            "rows": len(df),
            "features": len(features),
            "target": target,
            "event rate": float(y_all.mean()),
            "protected": ", ".join(protected) or "none",
            "alpha": alpha,
        },
        metadata=metadata if metadata is not None else run_metadata(seed=random_state),
        summary_note=threshold_note(th, ("pvalue", "auc", "psi", "fairness")),
    )
    idx_train, idx_test = train_test_split(
        np.arange(len(data)), test_size=test_size, random_state=random_state, stratify=y_all
    )
    train, test = data.iloc[idx_train], data.iloc[idx_test]
    y_train, y_test = y_all[idx_train], y_all[idx_test]

    overview = report.add(Section("data", "Data"))
    overview.text.append(
        f"{len(df):,} rows; {len(features)} features; target '{target}' with event rate "
        f"{format_estimate(y_all.mean())}. Development sample {len(train):,} rows, holdout "
        f"{len(test):,} rows (stratified random split, seed {random_state})."
    )
    overview.tables["Features"] = pd.DataFrame(
        {
            "dtype": [str(data[c].dtype) for c in features],
            "missing": [int(data[c].isna().sum()) for c in features],
            "distinct": [int(data[c].nunique()) for c in features],
        },
        index=pd.Index(features, name="feature"),
    )
    overview.captions["Features"] = "Every feature: its type, missing values and distinct values."
    overview.folded.add("Features")
    steps.update()

    # ---------------------------------------------------------------- binning, WoE, IV
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # one stump model per feature: each feature's bins (and IV) depend on that feature only
        binner = StumpBinner(strategy="per_feature", random_state=random_state)
        encoder = WoEEncoder(binner=binner, random_state=random_state, alpha=alpha)
        card = Scorecard(encoder=encoder, min_iv=0.02, alpha=alpha, random_state=random_state)
        card.fit(train[features], y_train)
    enc = card.encoder_
    sec = report.add(Section("iv", "Binning, WoE and information value"))
    sec.text.append(
        "Bins from depth-1 XGBoost stumps, one model per feature (StumpBinner). IV = Jeffreys divergence between the bad "
        "and good bin distributions, with full delta-method SE and CI; WoE = ln(bad share / "
        "good share) with SE and CI. Computed on the development sample. The p-value of 'no "
        "association' is cross-fitted (pvalue_method): each fold's rows are counted in bins "
        "learned on the other folds, as the bins were chosen on these rows."
    )
    sec.table(
        "Information value",
        enc.iv_,
        "IV of every feature on the development sample with SE, interval and the cross-fitted "
        "p-value (H0: the feature's bins carry no information on the target).",
    )
    for f in enc.iv_.index:
        sec.table(
            f"WoE: {f}",
            woe_table_with_edges(enc.woe_tables_[f].table, enc.bins_[f]),
            f"Bins of {f}: rows, goods, bads, event rate and WoE with its interval.",
            folded=True,
        )
    for f in list(enc.iv_.index)[:n_woe_plots]:
        sec.figure(
            f"WoE by bin: {f}",
            figure_png(plot_woe(enc.woe_tables_[f])),
            "WoE per bin with interval bars and the event rate (line); rows per bin below.",
        )
    model_feats = [f for f in card.params_.index if f in enc.iv_.index]
    if model_feats:
        ivp = enc.iv_.loc[model_feats, "pvalue"].astype(float)
        worst = ivp.idxmax()
        weak = [str(f) for f, v in ivp.items() if not v < alpha]
        rows.append(
            summary_row(
                "Information value",
                f"IV of the {len(model_feats)} model features, weakest",
                "the feature's bins carry no information on the target (cross-fitted)",
                enc.iv_.loc[worst].get("statistic", np.nan),
                ivp[worst],
                "green" if not weak else "amber",
                f"weakest: {worst}; "
                + (
                    f"not significant at {alpha:g}: {', '.join(weak)}"
                    if weak
                    else "all significant"
                ),
                estimate=enc.iv_.loc[worst, "iv"],
            )
        )
    sec.data["iv"] = {f: float(v) for f, v in enc.iv_["iv"].items()}
    sec.data["warnings"] = sorted({str(w.message) for w in caught})
    steps.update()

    # ---------------------------------------------------------------- scorecard
    sec = report.add(Section("scorecard", "Scorecard and holdout performance"))
    sec.text.append(
        f"Logistic regression on cross-fitted WoE features with IV >= 0.02; points scaled with "
        f"PDO {card.pdo:g}, base score {card.base_score:g} at odds {card.base_odds:g}:1. "
        f"Coefficient SEs: {card.result_.ci_method_note}."
    )
    coef = pd.DataFrame({"coef": card.params_, "se": card.bse_})
    sec.table(
        "Coefficients", coef, "Logistic regression coefficients on the WoE features, with SEs."
    )
    sec.table(
        "Points",
        card.points_table_,
        "Scorecard points of every bin of every model feature.",
        folded=True,
    )
    p_test = card.predict_proba(test[features])[:, 1]
    metrics, cal = holdout_metrics(y_test, p_test, alpha=alpha)
    sec.table(
        "Holdout metrics",
        metrics,
        "AUC with its DeLong interval, KS and Brier score of the PD on the holdout sample.",
    )
    n_cal = cal["n"].to_numpy(dtype=float)
    k_cal = np.round(cal["observed"].to_numpy(dtype=float) * n_cal)
    lo, hi = jeffreys_interval(k_cal, n_cal, alpha)
    cal = cal.assign(defaults=k_cal.astype(int), ci_low=lo, ci_high=hi)
    sec.table(
        "Calibration by decile (holdout)",
        cal,
        "Mean PD against the observed default rate per PD decile, with the Jeffreys interval "
        "of the observed rate.",
    )
    if card.dropped_:
        sec.table(
            "Features left out",
            pd.DataFrame({"reason": pd.Series(card.dropped_)}).rename_axis("feature"),
            "Features not in the model and why.",
        )
    sec.figure(
        "ROC and CAP curves (holdout)",
        figure_png(plot_roc_cap(y_test, p_test, label="PD")),
        "Left: true against false positive rate; right: share of bads captured by the riskiest "
        "share of rows (accuracy ratio AR = 2 AUC - 1).",
    )
    sec.figure(
        "Calibration (holdout)",
        figure_png(
            plot_calibration(
                cal["predicted"], cal["observed"], lo, hi, labels=[str(i) for i in cal.index]
            )
        ),
        f"Observed default rate against mean PD per decile with {100 * (1 - alpha):g}% Jeffreys "
        "intervals; points near the diagonal are well calibrated.",
    )
    score_test = card.score(test[features])
    sec.figure(
        "Score distribution by class (holdout)",
        figure_png(plot_score_distribution(y_test, score_test, label="score (points)")),
        "Densities of the scorecard points of goods and bads; the less they overlap, the "
        "better the score separates.",
    )
    auc_row = metrics.loc["AUC"]
    from scipy import stats

    z_auc = (auc_row["value"] - 0.5) / auc_row["se"] if auc_row["se"] > 0 else np.nan
    rows.append(
        summary_row(
            "Discrimination",
            "AUC of the PD (holdout)",
            "the score does not rank bads above goods (AUC = 0.5)",
            z_auc,
            float(stats.norm.sf(z_auc)) if np.isfinite(z_auc) else np.nan,
            status_by(auc_row["value"], "auc", th),
            f"AUC {format_estimate(auc_row['value'])}, {100 * (1 - alpha):g}% interval "
            f"{format_interval(auc_row['ci_low'], auc_row['ci_high'])}; Gini "
            f"{format_estimate(2 * auc_row['value'] - 1)}",
            estimate=auc_row["value"],
        )
    )
    ks = stats.ks_2samp(p_test[y_test == 1], p_test[y_test == 0])
    rows.append(
        summary_row(
            "Discrimination",
            "KS of the PD (holdout)",
            "the PD has the same distribution for goods and bads",
            float(ks.statistic),
            float(ks.pvalue),
            "info",
            "two-sample Kolmogorov-Smirnov test (scipy)",
            estimate=float(ks.statistic),
        )
    )
    # the credit layer's test over the deciles of the calibration table; the PDs were not
    # fitted on the holdout: G degrees of freedom (fitted=False), not the in-sample G - 2
    hl = hosmer_lemeshow(y_test, p_test, _deciles(p_test), fitted=False, alpha=alpha)
    rows.append(
        summary_row(
            "Calibration",
            "Hosmer-Lemeshow over PD deciles (holdout)",
            "the PD equals the default probability in every decile",
            hl.statistic,
            hl.pvalue,
            status_by(hl.pvalue, "pvalue", th),
            f"chi-square on {hl.df:.0f} degrees of freedom (one per decile: the PDs were "
            "fitted on the development sample, not on these rows)",
            estimate=hl.estimate,
        )
    )
    expected, observed = float(np.sum(p_test)), float(np.sum(y_test))
    var = float(np.sum(p_test * (1 - p_test)))
    z_cal = (observed - expected) / np.sqrt(var)
    rows.append(
        summary_row(
            "Calibration",
            "Calibration in the large (holdout)",
            "the mean PD equals the default rate of the portfolio",
            z_cal,
            float(2 * stats.norm.sf(abs(z_cal))),
            status_by(float(2 * stats.norm.sf(abs(z_cal))), "pvalue", th),
            f"{format_count(observed)} defaults observed, {format_estimate(expected)} expected "
            "(z statistic, normal approximation of the Poisson-binomial)",
            estimate=observed / len(y_test),
        )
    )
    steps.update()

    # ---------------------------------------------------------------- PSI
    def score(frame: pd.DataFrame) -> np.ndarray:
        return card.score(frame[features])

    bins = {f: enc.bins_[f] for f in features}
    if baseline is not None:
        base = prepare_frame(baseline, exclude=[target])
        missing = [c for c in features if c not in base.columns]
        if missing:
            raise InvalidParameterError(f"baseline lacks columns {missing}")
        _psi_sections(
            report, base, {"current vs baseline": data}, features, bins, score, alpha, th, rows
        )
    elif split_by is not None:
        values = sorted(data[split_by].dropna().unique().tolist(), key=str)
        if len(values) < 2:
            raise InvalidParameterError(f"column {split_by!r} (split-by) has fewer than two values")
        first = data[data[split_by] == values[0]]
        others = {f"{v} vs {values[0]}": data[data[split_by] == v] for v in values[1:]}
        _psi_sections(report, first, others, features, bins, score, alpha, th, rows)
    else:
        _psi_sections(
            report,
            train,
            {"holdout vs development": test},
            features,
            bins,
            score,
            alpha,
            th,
            rows,
        )
    steps.update()

    # ---------------------------------------------------------------- fairness
    if protected:
        _fairness_section(
            report,
            data,
            y_all,
            idx_train,
            idx_test,
            features,
            list(protected),
            card,
            enc,
            alpha,
            random_state,
            frontier,
            th,
            rows,
        )
    steps.update()
    steps.close()
    report.summary = summary_table(rows)
    return report


def _fairness_section(
    report: Report,
    data: pd.DataFrame,
    y: np.ndarray,
    idx_train: np.ndarray,
    idx_test: np.ndarray,
    features: list[str],
    protected: list[str],
    card: Any,
    enc: Any,
    alpha: float,
    random_state: int,
    frontier: bool,
    thresholds: dict[str, tuple[float, float]],
    rows: list[dict[str, Any]],
) -> None:
    from infodiv.fairness import protected_divergence
    from infodiv.reporting._format import format_estimate, format_interval

    sec = report.add(Section("fairness", "Fairness: protected-attribute divergence"))
    sec.text.append(
        "Fairness IV = Jeffreys divergence between a feature's (or the score's) bin distributions "
        "in the protected groups, through the same engine as IV and PSI; the one-sided upper "
        "bound is bias-aware, and DP <= sqrt(J)/2 bounds the demographic-parity difference at "
        "cut-offs on the bins. Protected attributes are never model inputs."
    )
    test = data.iloc[idx_test]
    bins, unseen = _cover_unseen({f: enc.bins_[f] for f in features}, test)
    if unseen:
        listed = ", ".join(f"{f} ({v:,} rows)" for f, v in unseen.items())
        sec.text.append(
            f"The holdout holds categories that are in no bin of the model: {listed}. For the "
            "fairness IV they form one extra bin per feature."
        )
    sec.data["unseen"] = unseen
    for attr in protected:
        res = protected_divergence(
            test[features],
            test[attr].astype(str).to_numpy(),
            y[idx_test],
            score={"score": card.score(test[features])},
            bins=bins,
            alpha=alpha,
        )
        sec.table(
            f"Fairness IV by feature and score (holdout): {attr}",
            res.fairness,
            f"Jeffreys divergence between the groups of {attr} of each feature's and the "
            "score's bins, with bias-aware upper bound and demographic-parity bound (H0: the "
            "same distribution in every group).",
        )
        if getattr(res, "predictive", None) is not None:
            sec.table(
                f"Predictive IV by group: {attr}",
                cast(pd.DataFrame, res.predictive),
                f"IV of each feature within each group of {attr}.",
                folded=True,
            )
        flat = res.fairness.reset_index()
        if "feature" in flat.columns:
            col = "fairness_iv" if "fairness_iv" in flat.columns else "estimate"
            for _, r in flat[flat["feature"].astype(str) == "score"].iterrows():
                j = float(r[col])
                which = f", {r['comparison']}" if "comparison" in flat.columns else ""
                rows.append(
                    summary_row(
                        "Fairness",
                        f"Fairness IV of the score ({attr}{which}, holdout)",
                        f"the score's bins have the same distribution in the groups of {attr}",
                        float(r["statistic"]) if "statistic" in flat.columns else np.nan,
                        float(r["pvalue"]) if "pvalue" in flat.columns else np.nan,
                        status_by(j, "fairness", thresholds),
                        f"J {format_estimate(j)}, interval "
                        f"{format_interval(r.get('ci_low'), r.get('ci_high'))}; "
                        f"demographic-parity bound {format_estimate(r.get('dp_bound'))}",
                        estimate=j,
                    )
                )
    ff = None
    if frontier:
        from infodiv.fairness import FairnessFrontier

        attr = protected[0]
        train = data.iloc[idx_train]
        ff = FairnessFrontier(protected=attr, random_state=random_state)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ff.fit(train[[*features, attr]], y[idx_train])
        fsec = report.add(Section("frontier", f"Predictive power vs fairness frontier ({attr})"))
        fsec.data["warnings"] = sorted({str(w.message) for w in caught})
        fsec.text.append(
            "Each point maximises predictive IV under a budget on the protected divergence, solved "
            "as a mixed-integer programme; the solver status of every point is shown, and a point "
            "not proven optimal is never reported as optimal."
        )
        fsec.table(
            "Frontier",
            ff.frontier_,
            "Each budget on the protected divergence: the best predictive IV found, the "
            "solver's status and the features used.",
        )
        fsec.figure(
            "Frontier",
            figure_png(ff.plot()),
            "Predictive IV against the protected divergence along the frontier.",
        )
    from infodiv.reporting._lenders import lenders_section

    groups = {a: test[a].astype(str).to_numpy() for a in protected}
    scores = card.score(test[features])
    lsec = report.add(lenders_section(scores, groups, y[idx_test], frontier=ff, alpha=alpha))
    _lenders_summary(lsec, rows)


def _lenders_summary(sec: Section, rows: list[dict[str, Any]]) -> None:
    """Captions of the fair-lending tables and one summary row per attribute: the four-fifths
    verdicts of its cut-off table (red: an AIR interval wholly below 0.8; amber: one across
    0.8; green: none)."""
    from infodiv.reporting._format import format_estimate

    for name, t in sec.tables.items():
        if name.startswith("Cut-off metrics") and "four_fifths" in t.columns:
            sec.captions.setdefault(
                name,
                "Per approval rate and group: approval rate, adverse impact ratio (AIR) with "
                "its interval and four-fifths verdict, approval and equal-opportunity "
                "differences, score SMD.",
            )
            verdict = t["four_fifths"].astype(str)
            below, unsure = int((verdict == "below").sum()), int((verdict == "inconclusive").sum())
            air = t["air"].astype(float) if "air" in t.columns else pd.Series(dtype=float)
            attr = name.split(": ", 1)[-1]
            rows.append(
                summary_row(
                    "Fair lending",
                    f"Four-fifths rule ({attr}, holdout)",
                    "none: each group's adverse impact ratio interval read against 0.8 "
                    "(not a test)",
                    np.nan,
                    np.nan,
                    "red" if below else "amber" if unsure else "green",
                    f"smallest AIR {format_estimate(air.min() if len(air) else np.nan)}; "
                    f"{below} group and approval-rate rows below 0.8, {unsure} inconclusive, "
                    f"of {len(t)}",
                    estimate=float(air.min()) if len(air) else np.nan,
                )
            )
        elif name == "Less discriminatory alternatives":
            sec.captions.setdefault(
                name,
                "Every frontier point against the unconstrained one: AUC change (DeLong, "
                "paired) with one-sided p-value, AIR parity, fairness IV bound; retained points "
                "ranked.",
            )
            if len(t) > 12:
                sec.folded.add(name)
