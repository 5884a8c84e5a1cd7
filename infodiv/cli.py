"""The ``infodiv`` command, with six subcommands.

``demo``: WoE/IV tables of every feature of the bundled Taiwan credit data, with SEs and CIs.
``report``: the full credit report (stump bins, WoE/IV, scorecard, PSI, fairness IV, the
fairness frontier) as HTML, Markdown and JSON, on a file or, with ``--demo``, the Taiwan data.
``psi``: monitoring, two files in (expected, actual), a PSI table with SEs and drift flags out.
``score``: fit a WoE scorecard on a file and write every row's score, with reason codes.
``bounds``: causal bounds of E[Y(0)], E[Y(1)] and the ATE (f-divergence ball, Manski) on a file.
``pn``: the p-n criterion, is the sample large enough for the model family?
``validate``: the validation pack (calibration, discrimination, concentration, migration,
representativeness, model checks) of a development and a current sample, as HTML, Markdown
and JSON; ``--demo`` on the Taiwan data.
Exit codes: 0 on success; 2 for bad input, with one line on stderr,
``infodiv <command>: error: <message>``, naming the option, file or column at fault. A
traceback means a bug in infodiv (please report it).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import pandas as pd

from infodiv._validation import check_alpha
from infodiv.exceptions import InfodivWarning


class InputError(ValueError):
    """Bad command-line input (exit code 2)."""


#: Per command, the library's parameter names and the options that set them: an error message
#: that starts with a parameter's name is reported as about the option.
OPTIONS: dict[str, dict[str, str]] = {
    "demo": {"alpha": "--alpha", "n_bins": "--bins", "bins": "--bins", "event": "--event"},
    "report": {
        "alpha": "--alpha",
        "random_state": "--seed",
        "format": "--format",
        "target": "--target",
        "protected": "--protected",
        "split_by": "--split-by",
        "baseline": "--baseline",
        "event": "--event",
    },
    "bounds": {
        "support": "--support",
        "kind": "--kind",
        "radius": "--rho",
        "rho": "--rho",
        "n_folds": "--folds",
        "alpha": "--alpha",
        "random_state": "--seed",
        "A": "--treatment",
        "Y": "--outcome",
        "X": "--covariates",
    },
    "pn": {"family": "--family", "epsilon": "--epsilon", "alpha": "--alpha", "X": "--columns"},
    "validate": {
        "alpha": "--alpha",
        "random_state": "--seed",
        "target": "--target",
        "score": "--score",
        "model": "--model",
        "id": "--id",
        "grades": "--grades",
        "thresholds": "--threshold",
        "event": "--event",
        "format": "--format",
    },
    "psi": {"alpha": "--alpha", "n_bins": "--bins", "bins": "--bins"},
    "score": {
        "n": "--reason-codes",
        "reason_codes": "--reason-codes",
        "min_iv": "--min-iv",
        "random_state": "--seed",
        "event": "--event",
        "target": "--target",
    },
}


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _name_option(command: str, message: str) -> str:
    """``message``, prefixed ``argument --opt:`` when it starts with a parameter an option sets."""
    # "alpha must be ...", "The 'alpha' parameter of f must be ..." or "--target column ..."
    m = re.match(r"(?:The '(\w+)' parameter|(--[\w-]+)|([A-Za-z_]\w*)\b)", message)
    if m is None:
        return message
    if m.group(2):
        return f"argument {m.group(2)}: {message[m.end() :].lstrip()}"
    option = OPTIONS.get(command, {}).get(m.group(1) or m.group(3))
    return f"argument {option}: {message}" if option else message


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one line: ``infodiv <command>: error: <message>``."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {_one_line(message)}\n")


def _int_from(low: int) -> Callable[[str], int]:
    """An argparse type: an integer ``>= low`` (argparse names the option in the error)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}; got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}; got {value}")
        return value

    return parse


def _version() -> str:
    try:
        return importlib.metadata.version("infodiv")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a source tree
        return "0+unknown"


def _split(text: str | None, option: str) -> list[str]:
    """Comma-separated names, stripped; an option given with no name is an error."""
    if text is None:
        return []
    names = [c.strip() for c in text.split(",") if c.strip()]
    if not names:
        raise InputError(f"argument {option}: no name given in {text!r} (comma-separated names)")
    return list(dict.fromkeys(names))


def out_file(path: str, option: str = "--out") -> Path:
    """An output file path whose folder exists and which is not itself a folder."""
    p = Path(path)
    if p.is_dir():
        raise InputError(
            f"argument {option}: {path!r} is a folder; give a file name (e.g. {p / 'out.csv'})"
        )
    parent = p.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise InputError(f"argument {option}: folder {str(parent)!r} {what}; create it first")
    return p


def out_dir(path: str, option: str = "--out") -> Path:
    """An output folder: created with its parents when missing, an error when it is a file."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InputError(
            f"argument {option}: {path!r} is a file; give a folder (created when missing)"
        )
    for parent in p.parents:
        if parent.exists() and not parent.is_dir():
            raise InputError(f"argument {option}: {str(parent)!r} is a file, not a folder")
    return p


def numeric_columns(df: pd.DataFrame, columns: Sequence[str], option: str, path: str) -> None:
    """Raise naming ``option`` unless every column is numeric (or boolean)."""
    for c in columns:
        if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c])):
            raise InputError(
                f"argument {option}: column {c!r} of {path!r} is not numeric "
                f"(dtype {df[c].dtype}); encode it as numbers (e.g. 0/1 columns per category)"
            )


def read_table(path: str, what: str = "DATA") -> pd.DataFrame:
    """Read a CSV (optionally gzip/zip/bz2/xz-compressed) or Parquet file."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{what} file {path!r} not found")
    name = p.name.lower()
    try:
        if name.endswith((".parquet", ".pq")):
            return pd.read_parquet(p)
        if name.endswith((".csv", ".csv.gz", ".csv.zip", ".csv.bz2", ".csv.xz")):
            return pd.read_csv(p)
    except Exception as exc:  # parser errors become one line
        raise InputError(f"{what} file {path!r} could not be read: {exc}") from None
    raise InputError(
        f"{what} file {path!r} has an unsupported type (use .csv, .csv.gz or .parquet)"
    )


def event_value(column: pd.Series, text: str | None) -> object:
    """The ``--event`` text as a value of the target column's type (``None`` when not given).

    CSV columns of numbers are read as numbers, so ``--event 2`` names the label ``2``; a
    boolean column takes ``true``/``false``; text columns take the text as it is.
    """
    if text is None:
        return None
    if pd.api.types.is_bool_dtype(column.dtype):
        low = text.strip().lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0"):
            return False
        raise InputError(f"--event {text!r}: the target column is boolean; give true or false")
    if pd.api.types.is_numeric_dtype(column.dtype):
        try:
            v = float(text)
        except ValueError:
            raise InputError(
                f"--event {text!r}: the target column holds numbers; give one of its values"
            ) from None
        return int(v) if v.is_integer() else v
    return text


def check_target(column: pd.Series, target: str, event: object) -> None:
    """Refuse a target that is not binary or whose event is not named, in the CLI's words."""
    from infodiv._validation import check_binary_target

    try:
        check_binary_target(column, f"--target column {target!r}", event)
    except ValueError as exc:
        raise InputError(str(exc).replace("event=", "--event ")) from None


def require_columns(df: pd.DataFrame, columns: Sequence[str], path: str) -> None:
    for c in columns:
        if c not in df.columns:
            raise InputError(f"column {c!r} not found in {path!r}")


def _psi(args: argparse.Namespace) -> int:
    from infodiv.credit import psi_summary
    from infodiv.reporting import format_table

    expected = read_table(args.expected, "EXPECTED")
    actual = read_table(args.actual, "ACTUAL")
    out = out_file(args.out) if args.out else None
    cols = _split(args.columns, "--columns") or list(expected.columns)
    require_columns(expected, cols, args.expected)
    require_columns(actual, cols, args.actual)
    exp, act = expected[cols].copy(), actual[cols].copy()
    for c in cols:
        if not pd.api.types.is_numeric_dtype(exp[c]):
            cats = pd.Index(pd.concat([exp[c], act[c]]).dropna().unique())
            exp[c] = pd.Categorical(exp[c], categories=cats)
            act[c] = pd.Categorical(act[c], categories=cats)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InfodivWarning)  # printed below as notes
        table = psi_summary(exp, act, bins=args.bins, alpha=args.alpha)
    if out is not None:
        if out.suffix == ".json":
            table.reset_index().to_json(out, orient="records", indent=1)
        else:
            table.to_csv(out)
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(format_table(table).to_string())
    for w in caught:
        print(f"note: {w.message}", file=sys.stderr)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from infodiv.credit import woe_tables
    from infodiv.datasets import load_taiwan_credit

    df = load_taiwan_credit()
    X, y = df.drop(columns="default"), df["default"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tables = woe_tables(X, y, bins=args.bins, alpha=args.alpha)
    rows = []
    for f, t in tables.items():
        lo, hi = t.iv.conf_int()
        rows.append(
            {
                "feature": f,
                "iv": t.iv.estimate,
                "se": t.iv.se,
                "ci_low": lo,
                "ci_high": hi,
                "pvalue": t.iv.pvalue,
                "bins": t.iv.df + 1,
            }
        )
    summary = pd.DataFrame(rows).set_index("feature").sort_values("iv", ascending=False)
    level = f"{100 * (1 - args.alpha):g}%"
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(f"Taiwan credit default data: {len(df):,} rows, default rate {y.mean():.4f}")
        print(f"Information value (Jeffreys divergence bad || good) with SE and {level} CI\n")
        print(summary.to_string(float_format=lambda v: f"{v:.4f}"))
        for f in summary.index:
            print()
            print(tables[f])
    for w in caught:
        print(f"note: {w.message}", file=sys.stderr)
    return 0


def _thresholds(items: Sequence[str] | None) -> dict[str, tuple[float, float]] | None:
    """``--threshold NAME=AMBER,RED`` options (both commands) as ``{name: (amber, red)}``.

    The names and pair orders are those of ``infodiv.credit.DEFAULT_THRESHOLDS``, checked by
    ``infodiv.credit.check_thresholds``.
    """
    if not items:
        return None
    out: dict[str, tuple[float, float]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        parts = value.split(",")
        try:
            if not sep or len(parts) != 2:
                raise ValueError
            out[name.strip()] = (float(parts[0]), float(parts[1]))
        except ValueError:
            raise InputError(
                f"argument --threshold: {item!r} is not NAME=AMBER,RED (e.g. psi=0.1,0.25)"
            ) from None
    from infodiv.credit import check_thresholds

    try:
        check_thresholds(out)
    except ValueError as exc:
        raise InputError(f"argument --threshold: {exc}") from None
    return out


def _command_line(argv: Sequence[str] | None) -> str:
    import shlex

    return "infodiv " + shlex.join(sys.argv[1:] if argv is None else list(argv))


def _report(args: argparse.Namespace) -> int:
    from infodiv.reporting import build_report, run_metadata

    thresholds = _thresholds(args.threshold)
    files: dict[str, str | Path | None] = {}
    if args.demo:
        from infodiv.datasets import data_path, load_taiwan_credit

        df = load_taiwan_credit().reset_index(drop=True)
        files["data"] = data_path("uci_credit_card.csv.gz")
        target, protected, path = "default", ["SEX"], "bundled Taiwan data"
        baseline, split_by = None, None
        event = event_value(df[target], args.event)
    else:
        if not args.data or not args.target:
            raise InputError("DATA and --target are required (or use --demo)")
        path = args.data
        target = args.target
        protected = list(dict.fromkeys(args.protected or []))
        if target in protected:
            raise InputError(
                f"argument --protected: {target!r} is the --target column; a protected "
                "attribute must be another column"
            )
        if args.split_by and args.split_by in [target, *protected]:
            raise InputError(
                f"argument --split-by: {args.split_by!r} is the --target or a --protected "
                "column; periods need a column of their own"
            )
        df = read_table(args.data)
        files["data"] = args.data
        require_columns(df, [target, *protected], path)
        event = event_value(df[target], args.event)
        check_target(df[target], target, event)
        baseline = read_table(args.baseline, "BASELINE") if args.baseline else None
        files["baseline"] = args.baseline
        split_by = args.split_by
        if split_by:
            require_columns(df, [split_by], path)
        if baseline is not None and split_by:
            raise InputError("give --baseline or --split-by, not both")
    formats = tuple(_split(args.format, "--format"))
    bad = [f for f in formats if f not in ("html", "md", "json")]
    if bad:
        raise InputError(f"argument --format: accepts html, md, json; got {','.join(bad)}")
    out = out_dir(args.out)
    with warnings.catch_warnings():
        # infodiv's own notes (zero cells, unseen categories, solver status) are recorded in the
        # report's sections; other libraries' warnings still reach the terminal
        warnings.simplefilter("ignore", InfodivWarning)
        report = build_report(
            df,
            target,
            protected=protected,
            event=event,
            baseline=baseline,
            split_by=split_by,
            alpha=args.alpha,
            random_state=args.seed,
            frontier=not args.no_frontier,
            progress=not args.quiet,
            title=f"infodiv credit model report: {path}",
            thresholds=thresholds,
            metadata=run_metadata(files, seed=args.seed, command_line=args.command_line),
        )
        written = report.write(out, formats)
    if not args.quiet:
        for fmt, p in written.items():
            print(f"{fmt}: {p}")
    return 0


#: Columns of the Taiwan data that hold one month each, latest first: the demo's earlier
#: snapshot of the current obligors shifts them by one month.
MONTHLY = (
    ("PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"),
    tuple(f"BILL_AMT{i}" for i in range(1, 7)),
    tuple(f"PAY_AMT{i}" for i in range(1, 7)),
)


def taiwan_demo_samples(seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The ``validate --demo`` samples: Taiwan development (70%) and holdout (30%, stratified
    by the target), with an ``id`` column, and a synthetic earlier snapshot of the holdout
    obligors: each monthly column (repayment status, bill, payment) shifted back one month
    (``PAY_2`` as ``PAY_0``, ..., the oldest month repeated)."""
    from sklearn.model_selection import train_test_split

    from infodiv.datasets import load_taiwan_credit

    df = load_taiwan_credit().reset_index(drop=True)
    df.insert(0, "id", range(1, len(df) + 1))
    dev_idx, cur_idx = train_test_split(
        df.index.to_numpy(), test_size=0.3, random_state=seed, stratify=df["default"]
    )
    dev = df.loc[dev_idx].reset_index(drop=True)
    cur = df.loc[cur_idx].reset_index(drop=True)
    snap = cur.copy()
    for cols in MONTHLY:
        present = [c for c in cols if c in snap.columns]
        for later, earlier in zip(present[:-1], present[1:], strict=True):
            snap[later] = cur[earlier]
    return dev, cur, snap


def _grades_arg(text: str | None) -> list[float] | None:
    if text is None:
        return None
    try:
        cuts = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(
            f"argument --grades: {text!r} is not comma-separated numbers (cut points on the "
            "score scale, e.g. 0.02,0.05,0.1)"
        ) from None
    if not cuts:
        raise InputError("argument --grades: no cut point given")
    return cuts


def _validate(args: argparse.Namespace) -> int:
    import pickle

    from infodiv.credit import validation_pack
    from infodiv.reporting import build_validation_report, run_metadata

    formats = tuple(_split(args.format, "--format"))
    bad = [f for f in formats if f not in ("html", "md", "json")]
    if bad:
        raise InputError(f"argument --format: accepts html, md, json; got {','.join(bad)}")
    grades = _grades_arg(args.grades)
    thresholds = _thresholds(args.threshold)
    notes: list[str] = []
    files: dict[str, str | Path | None] = {}
    snapshot = None
    model = None
    if args.demo:
        from infodiv.datasets import data_path

        dev, cur, snapshot = taiwan_demo_samples(args.seed)
        files["data"] = data_path("uci_credit_card.csv.gz")
        target, id_col, score, event = "default", "id", None, None
        name = "bundled Taiwan data, development vs holdout"
        notes.append(
            f"Demo: the bundled Taiwan credit data split into a development sample "
            f"({len(dev):,} rows) and a holdout taken as the current sample ({len(cur):,} rows; "
            f"stratified, seed {args.seed}). The data hold one date only, so the migration "
            "section compares the holdout obligors with a SYNTHETIC earlier snapshot of "
            "themselves: every monthly column (repayment status PAY_*, bill BILL_AMT*, payment "
            "PAY_AMT*) shifted back one month, the oldest month repeated. The migration "
            "numbers illustrate the method; they are not a real second observation."
        )
    else:
        if not args.dev or not args.current or not args.target:
            raise InputError("DEV, CURRENT and --target are required (or use --demo)")
        if args.score and args.model:
            raise InputError("give --score or --model, not both")
        dev = read_table(args.dev, "DEV")
        cur = read_table(args.current, "CURRENT")
        files["dev"], files["current"] = args.dev, args.current
        target, id_col, score = args.target, args.id, args.score
        for frame, path in ((dev, args.dev), (cur, args.current)):
            require_columns(frame, [target, *([id_col] if id_col else [])], path)
            if score:
                require_columns(frame, [score], path)
        event = event_value(dev[target], args.event)
        check_target(dev[target], target, event)
        check_target(cur[target], target, event)
        if args.model:
            p = Path(args.model)
            if not p.is_file():
                raise InputError(f"argument --model: file {args.model!r} not found")
            try:
                with open(p, "rb") as fh:
                    model = pickle.load(fh)  # the user's own fitted model file
            except Exception as exc:
                raise InputError(
                    f"argument --model: {args.model!r} could not be read as a pickled model: {exc}"
                ) from None
            if not hasattr(model, "predict_proba"):
                raise InputError(
                    f"argument --model: the object in {args.model!r} has no predict_proba"
                )
            files["model"] = args.model
        name = f"{args.dev} vs {args.current}"
    out = out_dir(args.out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfodivWarning)
        result = validation_pack(
            dev,
            cur,
            target=target,
            score=score,
            model=model,
            id=id_col,
            grades=grades,
            thresholds=thresholds,
            snapshot=snapshot,
            event=event,
            alpha=args.alpha,
            random_state=args.seed,
        )
        settings = {
            "development rows": len(dev),
            "current rows": len(cur),
            "target": target,
            "score": score or ("model file" if model is not None else "default scorecard"),
            "id": id_col or "none",
            "alpha": args.alpha,
        }
        report = build_validation_report(
            result,
            title=f"infodiv validation report: {name}",
            metadata=run_metadata(files, seed=args.seed, command_line=args.command_line),
            notes=notes,
            settings=settings,
            alpha=args.alpha,
        )
        written = report.write(out, formats)
    if not args.quiet:
        c = report.to_dict()["summary"]["counts"]
        print(f"{c['green']} green, {c['amber']} amber, {c['red']} red")
        for fmt, path in written.items():
            print(f"{fmt}: {path}")
    return 0


def _score(args: argparse.Namespace) -> int:
    from infodiv.credit import Scorecard
    from infodiv.reporting import prepare_frame

    out = out_file(args.out)
    if out.suffix not in (".csv", ".json"):
        raise InputError(f"argument --out: {args.out!r} must end in .csv or .json")
    df = read_table(args.data)
    target = args.target
    excl = _split(args.exclude, "--exclude")
    require_columns(df, [target, *excl, *([args.id] if args.id else [])], args.data)
    if target in excl or target == args.id:
        raise InputError(
            f"argument --exclude/--id: {target!r} is the --target column; name other columns"
        )
    event = event_value(df[target], args.event)
    check_target(df[target], target, event)
    drop = {target, *excl, *([args.id] if args.id else [])}
    features = [c for c in df.columns if c not in drop]
    if not features:
        raise InputError(
            f"no feature columns left in {args.data!r} besides --target, --id and --exclude"
        )
    data = prepare_frame(df[features])
    if args.apply:
        new = read_table(args.apply, "APPLY")
        require_columns(new, [*features, *([args.id] if args.id else [])], args.apply)
        scored = prepare_frame(new[features])
        for c in features:  # categories as in the training file (others are 'unseen')
            if isinstance(data[c].dtype, pd.CategoricalDtype):
                scored[c] = scored[c].astype(object)
        source = new
    else:
        scored, source = data, df
    if args.id:
        scored = scored.set_axis(pd.Index(source[args.id], name="id"), axis=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InfodivWarning)  # printed below as notes
        card = Scorecard(
            min_iv=args.min_iv, ci_method="wald", event=event, random_state=args.seed
        ).fit(data, df[target])
        card.export_scores(scored, out, reason_codes=args.reason_codes)
    print(
        f"scorecard: {len(card.features_)} features (min IV {args.min_iv:g}), max score "
        f"{card.max_score_:.1f}; {len(scored):,} rows scored"
        + (f" with {args.reason_codes} reason codes" if args.reason_codes else "")
        + f" -> {out}"
    )
    for w in caught:
        print(f"note: {w.message}", file=sys.stderr)
    return 0


def _bounds(args: argparse.Namespace) -> int:
    from infodiv.causal import DivergenceBounds, ManskiBounds

    out = out_file(args.out) if args.out else None
    df = read_table(args.data)
    covs = _split(args.covariates, "--covariates")
    require_columns(df, [args.treatment, args.outcome, *covs], args.data)
    numeric_columns(df, [args.outcome], "--outcome", args.data)
    numeric_columns(df, covs, "--covariates", args.data)
    X = df[covs].to_numpy(dtype=float) if covs else None
    A, Y = df[args.treatment].to_numpy(), df[args.outcome].to_numpy(dtype=float)
    support = tuple(args.support)
    kw = {"n_folds": args.folds, "alpha": args.alpha, "random_state": args.seed}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        manski = ManskiBounds(support=support, **kw).fit(X, A, Y).table()
        radius = args.rho if args.rho is not None else "propensity"
        fb = DivergenceBounds(kind=args.kind, support=support, radius=radius, **kw)
        ours = fb.fit(X, A, Y).table()
    manski.insert(0, "bounds", "manski")
    ours.insert(0, "bounds", f"f-ball ({args.kind})")
    table = pd.concat([manski, ours])
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(f"outcome {args.outcome!r} with declared support [{support[0]:g}, {support[1]:g}]")
        print(table.to_string(float_format=lambda v: f"{v:.4g}"))
    for w in caught:
        print(f"note: {w.message}", file=sys.stderr)
    if out is not None:
        table.to_csv(out)
    return 0


def _pn(args: argparse.Namespace) -> int:
    from infodiv.sample_size import PNCriterion

    df = read_table(args.data)
    cols = _split(args.columns, "--columns")
    require_columns(df, cols, args.data)
    if args.family != "categorical":  # categories may be labels; the others are numbers
        numeric_columns(df, cols, "--columns", args.data)
    x = df[cols[0]].to_numpy() if len(cols) == 1 else df[cols].to_numpy()
    # random_state fixed: the bootstrap interval of c1 prints the same on every run
    crit = PNCriterion(
        family=args.family, epsilon=args.epsilon, alpha=args.alpha, random_state=0
    ).fit(x)
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(crit.summary().to_string(float_format=lambda v: f"{v:.4g}"))
    print(
        f"risk {crit.risk_:.4g} vs threshold 8*eps^2 = {crit.threshold_:.4g}: "
        f"{'accept' if crit.accept_ else 'reject'}; n required {crit.n_required_:.0f}; "
        f"AIC {crit.aic_:.6g}, TIC {crit.tic_:.6g}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="infodiv",
        description="Information divergences for credit scoring: WoE/IV, PSI, fairness, "
        "causal bounds and sample size, each number with its standard error and interval.",
        epilog="Exit codes: 0 on success; 2 for bad input, with one line on stderr naming the "
        "option, file or column. 'infodiv COMMAND --help' describes a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    demo = sub.add_parser("demo", help="WoE/IV tables of every Taiwan feature, with SEs and CIs")
    demo.add_argument(
        "--bins", type=_int_from(1), default=10, help="quantile bins per numeric feature"
    )
    demo.add_argument("--alpha", type=float, default=0.05, help="1 - confidence level")
    demo.set_defaults(func=_demo)

    r = sub.add_parser(
        "report",
        help="WoE/IV, scorecard, PSI and fairness report (HTML, Markdown, JSON)",
    )
    r.add_argument("data", nargs="?", help="CSV or Parquet file")
    r.add_argument("--target", help="binary target column (0/1 or true/false: 1 = bad)")
    r.add_argument(
        "--event",
        help="the event (bad) value of --target; required unless the target is 0/1 or boolean",
    )
    r.add_argument("--protected", action="append", help="protected attribute (repeatable)")
    g = r.add_mutually_exclusive_group()
    g.add_argument("--baseline", help="baseline file for PSI (DATA is the current sample)")
    g.add_argument("--split-by", dest="split_by", help="column whose values define periods")
    r.add_argument("--out", required=True, help="output folder")
    r.add_argument("--format", default="html,md,json", help="comma-separated: html,md,json")
    r.add_argument("--alpha", type=float, default=0.05, help="1 - confidence level")
    r.add_argument(
        "--seed", type=_int_from(0), default=0, help="random seed (split, binning, solver)"
    )
    r.add_argument("--no-frontier", action="store_true", help="skip the fairness frontier")
    r.add_argument("--demo", action="store_true", help="run on the bundled Taiwan data (SEX)")
    r.add_argument("--quiet", action="store_true", help="no progress bars or file list")
    r.add_argument(
        "--threshold",
        action="append",
        metavar="NAME=AMBER,RED",
        help="a status threshold, e.g. psi=0.1,0.25 (repeatable; names: pvalue, auc, psi, "
        "fairness; docs/validation.md)",
    )
    r.set_defaults(func=_report)

    v = sub.add_parser(
        "validate",
        help="the validation pack: development vs current sample (HTML, Markdown, JSON)",
        description="Run the supervisor's validation tests (calibration, discrimination, "
        "concentration, migration, representativeness, model checks) on a development and a "
        "current sample and write validation.html, validation.md and validation.json. Exits 2 "
        "only for bad input, never because a test failed.",
    )
    v.add_argument("dev", nargs="?", help="development sample (CSV or Parquet)")
    v.add_argument("current", nargs="?", help="current sample (CSV or Parquet)")
    v.add_argument("--target", help="binary default column (0/1 or true/false: 1 = default)")
    v.add_argument("--event", help="the default value of --target unless 0/1 or boolean")
    v.add_argument("--score", help="score column in both samples (default: fit a scorecard)")
    v.add_argument("--model", help="pickled fitted model with predict_proba (e.g. a Scorecard)")
    v.add_argument("--id", help="obligor id column: the migration matrix matches on it")
    v.add_argument(
        "--grades", help="comma-separated cut points on the score scale (default: learned)"
    )
    v.add_argument(
        "--threshold",
        action="append",
        metavar="NAME=AMBER,RED",
        help="a status threshold, e.g. psi=0.1,0.25 (repeatable; docs/validation.md)",
    )
    v.add_argument("--out", required=True, help="output folder")
    v.add_argument("--format", default="html,md,json", help="comma-separated: html,md,json")
    v.add_argument("--alpha", type=float, default=0.05, help="1 - confidence level")
    v.add_argument("--seed", type=_int_from(0), default=0, help="random seed")
    v.add_argument(
        "--demo",
        action="store_true",
        help="Taiwan development vs holdout, with a synthetic earlier snapshot for migration",
    )
    v.add_argument("--quiet", action="store_true", help="no summary line or file list")
    v.set_defaults(func=_validate)

    b = sub.add_parser("bounds", help="causal bounds (f-divergence ball and Manski) on a file")
    b.add_argument("data", help="CSV or Parquet file")
    b.add_argument("--treatment", required=True, help="binary treatment column (0/1)")
    b.add_argument("--outcome", required=True, help="numeric outcome column")
    b.add_argument(
        "--support",
        required=True,
        nargs=2,
        type=float,
        metavar=("LO", "HI"),
        help="declared outcome support (the bounds need one)",
    )
    b.add_argument("--covariates", help="comma-separated covariate columns (default: none)")
    b.add_argument(
        "--kind",
        "--divergence",
        dest="kind",
        default="kl",
        help="the f-divergence: kl, hellinger, chi2, tv, js or all (--divergence is an alias)",
    )
    b.add_argument(
        "--rho", type=float, help="f-sensitivity radius (default: the propensity radius)"
    )
    b.add_argument("--folds", type=_int_from(2), default=5, help="cross-fitting folds")
    b.add_argument("--alpha", type=float, default=0.05, help="1 - confidence level")
    b.add_argument("--seed", type=_int_from(0), default=0, help="random seed")
    b.add_argument("--out", help="write the table to this CSV file")
    b.set_defaults(func=_bounds)

    n = sub.add_parser("pn", help="p-n criterion: is the sample large enough for the model?")
    n.add_argument("data", help="CSV or Parquet file")
    n.add_argument("--columns", required=True, help="column (or comma-separated columns)")
    n.add_argument(
        "--family",
        required=True,
        help="bernoulli, categorical, poisson, exponential, gamma, normal, multivariate_normal",
    )
    n.add_argument("--epsilon", type=float, default=0.05, help="tolerance")
    n.add_argument("--alpha", type=float, default=0.05, help="1 - confidence level")
    n.set_defaults(func=_pn)

    s = sub.add_parser(
        "score", help="fit a WoE scorecard and write each row's score with reason codes"
    )
    s.add_argument("data", help="CSV or Parquet file to fit the scorecard on")
    s.add_argument("--target", required=True, help="binary target column (0/1: 1 = bad)")
    s.add_argument(
        "--event",
        help="the event (bad) value of --target; required unless the target is 0/1 or boolean",
    )
    s.add_argument("--out", required=True, help="output file: .csv or .json")
    s.add_argument(
        "--reason-codes",
        dest="reason_codes",
        type=_int_from(0),
        default=4,
        help="reason codes per row: the features costing the most points (0: scores only)",
    )
    s.add_argument("--apply", help="score the rows of this file instead of DATA's")
    s.add_argument("--id", help="column identifying the rows (written as 'id')")
    s.add_argument("--exclude", help="comma-separated columns that are not model inputs")
    s.add_argument("--min-iv", dest="min_iv", type=float, default=0.02, help="minimum IV")
    s.add_argument("--seed", type=_int_from(0), default=0, help="random seed (binning)")
    s.set_defaults(func=_score)

    p = sub.add_parser("psi", help="PSI with SE, CI and drift flags: two files in, table out")
    p.add_argument("expected", help="reference sample (CSV or Parquet)")
    p.add_argument("actual", help="current sample (CSV or Parquet)")
    p.add_argument("--columns", help="comma-separated columns (default: all of EXPECTED)")
    p.add_argument("--bins", type=_int_from(1), default=10, help="quantile bins of EXPECTED")
    p.add_argument("--alpha", type=float, default=0.05, help="level of the drift test")
    p.add_argument("--out", help="write the table to this .csv or .json file")
    p.set_defaults(func=_psi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (argparse's own errors exit 2 directly).

    Errors from the user's input (:class:`InputError`, infodiv's
    :class:`~infodiv.exceptions.InvalidParameterError` and other ``ValueError``, and
    ``OSError`` from reading or writing files) print one line,
    ``infodiv <command>: error: <message>``, naming the option where the message starts with
    the parameter an option sets, and return 2. Anything else is a bug and keeps its
    traceback.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    args.command_line = _command_line(argv)
    try:
        if getattr(args, "alpha", None) is not None:
            check_alpha(args.alpha)  # before any work: a level is needed by every command
        return int(args.func(args))
    except (ValueError, OSError) as exc:
        message = _name_option(args.command, _one_line(str(exc) or type(exc).__name__))
        print(f"infodiv {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
