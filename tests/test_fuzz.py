"""The error contract under fuzzing (issue 14, "Must show": nothing silent).

Each public entry point gets random bad inputs drawn by hypothesis, one argument at a time:
wrong types (str, bool, None, dict, complex, object arrays, nested lists), wrong shapes, NaN
and inf, negative or zero weights, empty data, a single class, mismatched lengths and pandas
indexes, unknown parameter values (``bins="5"``, ``bins=True``, ``alpha=1.5``,
``kind="nope"``), huge and tiny magnitudes. Every drawn case is classified, independently of
the code under test:

* ``raise``: the input is wrong; the call must raise
  :class:`infodiv.exceptions.InvalidParameterError` (or another exception class of
  :mod:`infodiv.exceptions`) whose message names the argument (or the column / file at fault);
* ``return``: the input is unusual but valid (weights of 1e200, values of 1e-310, an offset of
  1e12, a category new in the monitored sample); the call must return a valid result (finite
  estimate, finite interval with ``low <= high``, a ``repr`` that works);
* ``either``: a valid result or the project's error naming the argument.

No other exception type may escape: a raw ``TypeError``, ``KeyError``, ``IndexError``,
``ZeroDivisionError``, a plain ``ValueError`` or an xgboost error is a failure, and so is a
``RuntimeWarning`` from infodiv (the project turns those into errors in its test settings).
The command line must exit with status 2 and one ``error:`` line on stderr, never a traceback.

Each argument has a catalogue of named cases (``test_catalogue``, ``test_transform_contract``,
``test_*_contract``: every case runs, one test each, so a failure names the entry point, the
argument and the case) and, where values can be drawn, a hypothesis strategy
(``test_random_inputs`` and the ``*_random_*`` tests). Data are tiny (40 rows) and the examples
per argument few, so the file runs in well under a minute.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import infodiv.exceptions as exceptions
from infodiv import (
    CountTable,
    FeatureBins,
    PNCriterion,
    Scorecard,
    StumpBinner,
    WoEEncoder,
    divergence,
    iv_from_counts,
    iv_summary,
    protected_divergence,
    psi,
    psi_summary,
    woe_table,
    woe_tables,
)
from infodiv.credit import auc
from infodiv.exceptions import InfodivWarning

PROJECT_ERRORS = tuple(
    c
    for c in vars(exceptions).values()
    if isinstance(c, type)
    and issubclass(c, Exception)
    and not issubclass(c, Warning)
    and c.__module__ == exceptions.__name__
)

FUZZ = settings(
    max_examples=12,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # report the first failing case
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
FEW = settings(FUZZ, max_examples=5)

N = 40  # rows of the fuzzed data


# ---------------------------------------------------------------------------- the contract
@dataclass(frozen=True)
class Case:
    """One drawn input: the arguments it replaces, what must happen, who the message names."""

    what: str  # a short description, shown when the case fails
    overrides: dict = field(default_factory=dict, compare=False)
    mode: str = "raise"  # "raise", "return" or "either"
    culprits: tuple[str, ...] = ()

    def __repr__(self) -> str:  # hypothesis prints the case: keep it readable
        shown = {k: _short(v) for k, v in self.overrides.items()}
        return f"Case({self.what!r}, {shown}, mode={self.mode!r}, culprits={self.culprits})"


def _short(v: Any, limit: int = 80) -> str:
    try:
        text = repr(v).replace("\n", " ")
    except Exception as exc:  # a result whose repr raises is itself a finding
        return f"<{type(v).__name__} whose repr raises {type(exc).__name__}: {exc}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def names(message: str, name: str) -> bool:
    """Whether ``message`` names ``name`` as a word (``y`` in "y has", not in "by")."""
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", message) is not None


def fail(message: str) -> None:
    """A contract failure: the message alone (the traceback is the test's, not the code's)."""
    pytest.fail(message, pytrace=False)


def check(call, case: Case, validate=None):
    """Run ``call`` and hold it to the contract of ``case`` (see the module docstring)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InfodivWarning)
            out = call()
            if validate is not None and case.mode != "raise":
                validate(out)
    except PROJECT_ERRORS as exc:
        msg = str(exc)
        if case.mode == "return":
            fail(f"{case!r}: valid input refused: {type(exc).__name__}: {msg}")
        if not any(names(msg, c) for c in case.culprits):
            fail(f"{case!r}: the message names none of {case.culprits}: {msg}")
        return None
    except AssertionError as exc:  # a validator: the result is not valid
        fail(f"{case!r}: invalid result: {exc}")
    except Exception as exc:  # the contract: no other exception type escapes
        fail(
            f"{case!r}: raised {type(exc).__module__}.{type(exc).__name__} instead of "
            f"InvalidParameterError: {_short(str(exc), 300)}"
        )
    if case.mode == "raise":
        fail(f"{case!r}: the bad input was accepted; returned {_short(out)}")
    return out


class Cases(NamedTuple):
    """The cases of one argument: a fixed catalogue (every case runs) and a random strategy."""

    curated: list
    random: Any = None


def combine(*parts: Cases) -> Cases:
    randoms = [c.random for c in parts if c.random is not None]
    return Cases(
        [case for c in parts for case in c.curated], st.one_of(*randoms) if randoms else None
    )


# ---------------------------------------------------------------------------- validators
def finite(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and math.isfinite(float(v))


def valid_divergence(r) -> None:
    """A divergence-like result: finite, non-negative estimate and SE, finite ordered CI; or,
    where a share of about 1e-300 in one sample makes the delta-method gradient overflow, an
    infinite SE whose unbounded interval the result's ``ci_note`` explains."""
    assert finite(r.estimate) and r.estimate >= -1e-12, f"estimate {r.estimate!r}"
    lo, hi = r.conf_int()
    if r.se == np.inf and hi == np.inf and getattr(r, "ci_note", ""):
        assert finite(lo) and lo >= 0, f"interval [{lo!r}, {hi!r}]"
    else:
        assert finite(r.se) and r.se >= 0, f"se {r.se!r}"
        assert finite(lo) and finite(hi) and lo <= hi, f"interval [{lo!r}, {hi!r}]"
    repr(r)
    r.summary()


def valid_summary(df: pd.DataFrame) -> None:
    """An ``iv_summary`` / ``psi_summary`` frame: finite estimates and ordered intervals."""
    assert isinstance(df, pd.DataFrame) and len(df) > 0
    est = df["estimate"].to_numpy(dtype=float)
    assert np.isfinite(est).all() and (est >= -1e-12).all(), df["estimate"]
    lo, hi = df["ci_low"].to_numpy(dtype=float), df["ci_high"].to_numpy(dtype=float)
    assert np.isfinite(lo).all() and np.isfinite(hi).all() and (lo <= hi).all(), df
    assert np.isfinite(df["se"].to_numpy(dtype=float)).all(), df["se"]


def valid_woe_table(t) -> None:
    valid_divergence(t.iv)
    repr(t)
    assert (t.table["count"].iloc[:-1] >= 0).all()


def valid_tables(d) -> None:
    assert isinstance(d, dict) and d
    for t in d.values():
        valid_woe_table(t)


def valid_psi(r) -> None:
    valid_divergence(r)
    assert r.traffic_light in ("green", "amber", "red")


def valid_protected(r) -> None:
    valid_summary_like = r.summary()
    assert np.isfinite(valid_summary_like["estimate"].to_numpy(dtype=float)).all()
    repr(r)


def valid_auc(r) -> None:
    assert finite(r.estimate) and 0 <= r.estimate <= 1
    assert finite(r.se) and r.se >= 0
    lo, hi = r.conf_int()
    assert 0 <= lo <= hi <= 1


# ---------------------------------------------------------------------------- base data
def base_data(seed: int = 0, n: int = N):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "income": np.round(rng.lognormal(8.0, 0.6, n), 2),
            "age": rng.integers(18, 70, n),
            "region": pd.Categorical(rng.choice(["north", "south", "east"], n)),
        }
    )
    z = (np.log(X["income"]) - 8.0) / 0.6
    y = (rng.random(n) < 1 / (1 + np.exp(-z.to_numpy()))).astype(int)
    y[:2] = [0, 1]
    w = np.round(rng.uniform(0.5, 2.0, n), 3)
    return X, y, w


def is_int(v: Any) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)


def is_real(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(
        v, bool | np.bool_
    )


# ---------------------------------------------------------------------------- generic values
OBJ = object()

ODD_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(0, 1),
    st.sampled_from(["5", "nope", "0.05", "", "auto", "none"]),
    st.text(max_size=3),
    st.complex_numbers(max_magnitude=5, allow_nan=False, allow_infinity=False),
    st.dictionaries(st.sampled_from(["a", "nope", "income"]), st.integers(0, 5), max_size=2),
    st.lists(st.lists(st.integers(0, 3), max_size=2), min_size=1, max_size=2),
    st.just(OBJ),
    st.just(np.float64(np.nan)),
    st.just(np.int64(3)),
    st.just(1e308),
    st.just(5e-324),
)


CURATED_SCALARS = [None, True, "5", "nope", "", 1 + 2j, {"a": 1}, [[1, 2], [3]], OBJ]
CURATED_SCALARS += [math.nan, math.inf, -1, 0, 1.5, 1e308, 5e-324]


def scalar_cases(arg: str, valid, culprits: tuple[str, ...] | None = None) -> Cases:
    """Cases for one scalar parameter: ``raise`` unless ``valid(value)``, then ``either``."""

    def make(v):
        try:
            ok = bool(valid(v))
        except Exception:
            ok = False
        return Case(
            f"{arg}={_short(v, 40)}", {arg: v}, "either" if ok else "raise", culprits or (arg,)
        )

    return Cases([make(v) for v in CURATED_SCALARS], ODD_SCALARS.map(make))


def options(*allowed):
    return lambda v: isinstance(v, str) and v in allowed


def in_open_unit(v) -> bool:
    return is_real(v) and 0 < v < 1


def alpha_cases(arg: str = "alpha"):
    return scalar_cases(arg, in_open_unit)


def bins_value_is_bad(v: Any, per_column: bool) -> str:
    """'raise' / 'either' for one value of a ``bins`` argument (an int, edges, None, dict)."""
    if v is None or isinstance(v, FeatureBins):
        return "either"
    if isinstance(v, bool | np.bool_ | str | bytes | complex | set) or v is OBJ:
        return "raise"
    if is_int(v):
        return "raise" if v < 1 else "either"
    if isinstance(v, float | np.floating):
        return "either" if math.isfinite(v) and v >= 1 and v == int(v) else "raise"
    if isinstance(v, dict):
        if not per_column or not v:
            return "raise" if not per_column else "either"
        if any(k not in ("income", "age", "region") for k in v):
            return "raise"  # an unknown key is a typo, never ignored
        return max((bins_value_is_bad(x, False) for x in v.values()), key=["either", "raise"].index)
    if isinstance(v, list | tuple):
        if not all(is_real(e) for e in v):
            return "raise"
        if any(math.isnan(float(e)) for e in v):
            return "raise"
        return "either"  # unsorted or infinite edges: sorted/dropped or refused
    return "raise"


BINS_CURATED = ["5", "ten", "", True, False, 0, -3, 1, 1.5, 2.0, math.nan, 1 + 2j, b"5", OBJ]
BINS_CURATED += [10**30, [3.0, 1.0, 2.0], [math.nan, 1.0], [-math.inf, 1.0, math.inf], ["a", 1]]
BINS_CURATED += [[], [[1, 2], [3]], {"nope": 3}, {"income": "5"}, {"income": True}, {}]
BINS_RANDOM = st.one_of(
    st.integers(-5, 60), st.lists(st.floats(-1e4, 1e5, allow_nan=False), max_size=4)
)


def bins_cases(arg: str = "bins", per_column: bool = True) -> Cases:
    def make(v):
        # edges for every column may be refused naming the column they do not fit
        if isinstance(v, list | tuple):
            culprits = (arg, "income", "age", "region")
        elif isinstance(v, dict):
            culprits = (arg, *map(str, v))  # the key at fault
        else:
            culprits = (arg,)
        return Case(f"{arg}={_short(v, 40)}", {arg: v}, bins_value_is_bad(v, per_column), culprits)

    return Cases([make(v) for v in BINS_CURATED], BINS_RANDOM.map(make))


# ---------------------------------------------------------------------------- data cases
def y_cases(
    arg: str = "y",
    n: int = N,
    data_arg: str = "X",
    seed: int = 0,
    labelled: bool = True,
    optional: bool = False,
):
    """Bad (and some good but unusual) targets of length ``n``; ``data_arg`` is X's name.

    ``labelled``: the data argument is a pandas object, so a target Series with other index
    labels must be refused; against numpy data it is matched by position. ``optional``: the
    target may be ``None``.
    """
    _, y, _ = base_data(seed, n)
    rng = np.random.default_rng(1)
    c = (arg,)
    curated = [
        Case("None", {arg: None}, "return" if optional else "raise", c),
        Case("one class", {arg: np.zeros(n, int)}, "raise", c),
        Case("NaN", {arg: np.where(np.arange(n) == 3, np.nan, y.astype(float))}, "raise", c),
        Case("inf", {arg: np.where(np.arange(n) == 3, np.inf, y.astype(float))}, "raise", c),
        Case("three classes", {arg: np.r_[y[:-1], 2]}, "raise", c),
        Case("0/2 coding", {arg: 2 * y}, "raise", (arg, "event")),
        Case(
            "two strings, no event", {arg: np.where(y == 1, "bad", "good")}, "raise", (arg, "event")
        ),
        Case("short", {arg: y[:-1]}, "raise", (arg, data_arg)),
        Case("long", {arg: np.r_[y, 1]}, "raise", (arg, data_arg)),
        Case("2-D", {arg: np.c_[y, y]}, "raise", c),
        Case("dict", {arg: {"a": 1}}, "raise", c),
        Case("complex", {arg: y + 1j}, "raise", c),
        Case("mixed objects", {arg: np.array([0, "1"] * (n // 2), dtype=object)}, "raise", c),
        Case("ragged lists", {arg: [[0, 1], [1]]}, "raise", c),
        Case("empty", {arg: []}, "raise", c),
        Case("string scalar", {arg: "y"}, "raise", c),
        Case(
            "Series with other index labels",
            {arg: pd.Series(y, index=range(1000, 1000 + n))},
            "raise" if labelled else "either",
            (arg, data_arg),
        ),
        Case("continuous", {arg: rng.normal(size=n)}, "raise", c),
        Case("floats 0.0/1.0", {arg: y.astype(float)}, "return", c),
        Case("booleans", {arg: y.astype(bool)}, "return", c),
        Case("list", {arg: y.tolist()}, "return", c),
        Case("nullable Int64", {arg: pd.array(y, dtype="Int64")}, "return", c),
    ]

    def random_target(a: np.ndarray) -> Case:
        ok = (
            a.shape in ((n,), (n, 1))  # a column vector is a target too
            and a.dtype.kind in "iufb"
            and bool(np.isin(a, (0, 1)).all())
            and np.unique(a).size == 2
        )
        return Case(
            f"random {a.dtype} {a.shape}", {arg: a}, "either" if ok else "raise", (arg, data_arg)
        )

    shapes = st.sampled_from([(n,), (n - 1,), (0,), (n, 1)])
    random = st.one_of(
        hnp.arrays(
            dtype=st.sampled_from([np.int64, np.float64, np.int8]),
            shape=shapes,
            elements=st.sampled_from([0, 1, 1, 0, 2, -1]),
        ),
        hnp.arrays(dtype=np.bool_, shape=shapes),
    ).map(random_target)
    return Cases(curated, random)


def weight_cases(arg: str = "sample_weight", n: int = N, data_arg: str = "X", y=None):
    rng = np.random.default_rng(2)
    w = rng.uniform(0.5, 2.0, n)
    c = (arg,)
    curated = [
        Case("negative", {arg: np.where(np.arange(n) == 5, -1.0, w)}, "raise", c),
        Case("all zero", {arg: np.zeros(n)}, "raise", c),
        Case("NaN", {arg: np.where(np.arange(n) == 5, np.nan, w)}, "raise", c),
        Case("inf", {arg: np.where(np.arange(n) == 5, np.inf, w)}, "raise", c),
        Case("short", {arg: w[:-1]}, "raise", (arg, data_arg)),
        Case("2-D", {arg: np.c_[w, w]}, "raise", c),
        Case("strings", {arg: np.array(["1"] * n)}, "either", c),
        Case("words", {arg: np.array(["heavy"] * n)}, "raise", c),
        Case("dict", {arg: {"a": 1.0}}, "raise", c),
        Case("complex", {arg: w + 1j}, "raise", c),
        Case("scalar", {arg: 2.0}, "either", c),
        Case("huge 1e200", {arg: w * 1e200}, "return", c),
        Case("tiny 1e-200", {arg: w * 1e-200}, "return", c),
        Case("1e12 in total", {arg: w * 1e12 / w.sum() * 1.0}, "return", c),
        Case(
            "float32 max",
            {arg: np.full(n, np.finfo(np.float32).max, dtype=np.float32)},
            "return",
            c,
        ),
        Case(
            "Series with other index labels",
            {arg: pd.Series(w, index=range(1000, 1000 + n))},
            "raise",
            (arg, data_arg),
        ),
    ]
    if y is not None:
        curated.append(Case("zero on every bad", {arg: np.where(y == 1, 0.0, w)}, "raise", c))
    random = hnp.arrays(
        dtype=np.float64,
        shape=st.just(n),
        elements=st.one_of(st.floats(-1.0, 1e6), st.sampled_from([np.nan, np.inf, 0.0])),
    ).map(
        lambda a: Case(
            "random weights",
            {arg: a},
            "either"
            if np.isfinite(a).all()
            and (a >= 0).all()
            and (y is None or (a[y == 1].sum() > 0 and a[y == 0].sum() > 0))
            else "raise",
            c,
        )
    )
    return Cases(curated, random)


def frame_cases(arg: str = "X", n: int = N):
    """Bad and unusual feature frames of ``n`` rows (columns income, age, region)."""
    X, _, _ = base_data(0, n)
    rng = np.random.default_rng(3)

    def with_col(col, values):
        return X.assign(**{col: values})

    c = (arg,)
    inc = (arg, "income")
    income = X["income"].to_numpy()
    curated = [
        Case("None", {arg: None}, "raise", c),
        Case("string", {arg: "X"}, "raise", c),
        Case("ndarray", {arg: X[["income", "age"]].to_numpy()}, "either", c),
        Case("nested lists", {arg: [[1, 2], [3]]}, "raise", c),
        Case("no rows", {arg: X.iloc[:0]}, "raise", c),
        Case("no columns", {arg: X.iloc[:, :0]}, "raise", c),
        Case(
            "inf",
            {arg: with_col("income", np.where(np.arange(n) == 4, np.inf, income))},
            "raise",
            inc,
        ),
        Case("complex", {arg: with_col("income", income + 1j)}, "raise", inc),
        Case(
            "mixed objects",
            {arg: with_col("income", np.array([1.0, "a", None, 2] * (n // 4), dtype=object))},
            "raise",
            inc,
        ),
        Case(
            "numbers stored as objects",
            {arg: with_col("income", income.astype(object))},
            "either",
            inc,
        ),
        Case("numbers as strings", {arg: with_col("income", income.astype(str))}, "either", inc),
        Case("constant", {arg: with_col("income", np.ones(n))}, "either", inc),
        Case("all missing", {arg: with_col("income", np.full(n, np.nan))}, "either", inc),
        Case("huge 1e300", {arg: with_col("income", income * 1e300)}, "return", inc),
        Case("tiny 1e-310", {arg: with_col("income", income * 1e-310)}, "return", inc),
        Case("offset 1e12", {arg: with_col("income", income + 1e12)}, "return", inc),
        Case("beyond float32", {arg: with_col("income", income * 1e40)}, "return", inc),
        Case(
            "uint64 above 2**63",
            {arg: with_col("age", (2**63 + X["age"].to_numpy().astype(np.uint64) * 1000))},
            "return",
            (arg, "age"),
        ),
        Case(
            "epoch milliseconds",
            {arg: with_col("age", 1.7e12 + X["age"].to_numpy() * 86_400_000.0)},
            "return",
            (arg, "age"),
        ),
        Case(
            "datetime",
            {arg: with_col("age", pd.to_datetime(1.7e9 + X["age"].to_numpy() * 86400, unit="s"))},
            "return",
            (arg, "age"),
        ),
        Case(
            "bool column", {arg: with_col("age", X["age"].to_numpy() > 40)}, "return", (arg, "age")
        ),
        Case(
            "text column",
            {arg: with_col("region", X["region"].astype(str))},
            "either",
            (arg, "region"),
        ),
        Case(
            "duplicated names",
            {arg: X.set_axis(["income", "income", "region"], axis=1)},
            "raise",
            (arg, "income"),
        ),
        Case("random noise", {arg: with_col("income", rng.normal(size=n))}, "return", inc),
    ]
    return Cases(curated)


def param_check(case: Case, base: dict) -> dict:
    return {**base, **case.overrides}


# ---------------------------------------------------------------------------- entry points
X0, Y0, W0 = base_data()


def call_divergence(case):
    kw = param_check(case, {"p_counts": [30, 50, 20], "q_counts": [20, 50, 30]})
    return divergence(**kw)


def kind_cases():
    def non_convex(t):
        return -((t - 1.0) ** 2)

    def not_zero_at_one(t):
        return (t - 1.0) ** 2 + 1.0

    def returns_text(t):
        return "a"

    curated = [
        Case("kind='nope'", {"kind": "nope"}, "raise", ("kind",)),
        Case("kind=''", {"kind": ""}, "raise", ("kind",)),
        Case("kind=None", {"kind": None}, "raise", ("kind",)),
        Case("kind=5", {"kind": 5}, "raise", ("kind",)),
        Case("kind=True", {"kind": True}, "raise", ("kind",)),
        Case("kind=concave f", {"kind": non_convex}, "raise", ("kind",)),
        Case("kind=f(1) != 0", {"kind": not_zero_at_one}, "raise", ("kind",)),
        Case("kind=text-valued f", {"kind": returns_text}, "raise", ("kind",)),
        Case("kind=np.log (concave)", {"kind": np.log}, "raise", ("kind",)),
        Case(
            "kind='tv' with ci_method='ncx2'",
            {"kind": "tv", "ci_method": "ncx2"},
            "raise",
            ("kind", "ci_method"),
        ),
        Case("kind='KL' (case)", {"kind": "KL"}, "either", ("kind",)),
        Case("kind='hellinger'", {"kind": "hellinger"}, "return", ("kind",)),
    ]
    return Cases(curated)


def counts_cases(arg: str):
    c = (arg,)
    other = "q_counts" if arg == "p_counts" else "p_counts"
    curated = [
        Case("negative", {arg: [30, -1, 20]}, "raise", c),
        Case("NaN", {arg: [30, math.nan, 20]}, "raise", c),
        Case("inf", {arg: [30, math.inf, 20]}, "raise", c),
        Case("strings", {arg: ["30", "50", "x"]}, "raise", c),
        Case("2-D", {arg: [[30, 50, 20]]}, "raise", c),
        Case("empty", {arg: []}, "raise", c),
        Case("all zero", {arg: [0, 0, 0]}, "raise", c),
        Case("other length", {arg: [30, 50]}, "raise", (arg, other)),
        Case("None", {arg: None}, "raise", c),
        Case("dict", {arg: {"a": 1}}, "raise", c),
        Case("complex", {arg: [30 + 1j, 50, 20]}, "raise", c),
        Case("ragged", {arg: [[30], [50, 20]]}, "raise", c),
        Case("scaled to 1e12 in total", {arg: [3e11, 5e11, 2e11]}, "return", c),
        Case(
            "both samples 1e12 in total",  # money-weighted tables
            {"p_counts": [3e11, 5e11, 2e11], "q_counts": [2e11, 5e11, 3e11]},
            "return",
            ("p_counts", "q_counts"),
        ),
        Case("huge 1e200", {arg: [3e200, 5e200, 2e200]}, "return", c),
        Case("tiny 1e-200", {arg: [3e-200, 5e-200, 2e-200]}, "return", c),
        Case("labelled Series", {arg: pd.Series([30, 50, 20], index=list("abc"))}, "return", c),
    ]
    random = hnp.arrays(
        np.float64,
        3,
        elements=st.one_of(st.floats(-10, 1e6), st.sampled_from([np.nan, np.inf, 0.0])),
    ).map(
        lambda a: Case(
            "random counts",
            {arg: a},
            "either" if np.isfinite(a).all() and (a >= 0).all() and a.sum() > 0 else "raise",
            c,
        )
    )
    return Cases(curated, random)


def call_from_arrays(case):
    good = np.array([[2, 2, 2], [6, 6, 6]], dtype=float)
    bad = np.array([[3, 3, 3], [1, 1, 1]], dtype=float)
    kw = param_check(
        case,
        {
            "arrays": {"age": np.stack([good, bad], axis=1)},
            "labels": {"age": ["< 40", ">= 40"]},
            "key_values": {"class": [0, 1]},
        },
    )
    return CountTable.from_arrays(**kw)


def from_arrays_cases():
    good = np.array([[2, 2, 2], [6, 6, 6]], dtype=float)
    bad = np.array([[3, 3, 3], [1, 1, 1]], dtype=float)
    ok = np.stack([good, bad], axis=1)
    A, L, K = "arrays", "labels", "key_values"
    curated = [
        Case("wrong shape", {A: {"age": ok[:, :1]}}, "raise", (A, "age")),
        Case("negative", {A: {"age": -ok}}, "raise", (A, "age")),
        Case("NaN", {A: {"age": np.where(ok == 6, np.nan, ok)}}, "raise", (A, "age")),
        Case("strings", {A: {"age": ok.astype(str)}}, "either", (A, "age")),
        Case("words", {A: {"age": np.full(ok.shape, "x")}}, "raise", (A, "age")),
        Case("nested ragged", {A: {"age": [[1, 2], [3]]}}, "raise", (A, "age")),
        Case("not a mapping", {A: [ok]}, "raise", (A,)),
        Case("None", {A: None}, "raise", (A,)),
        Case("labels missing the feature", {L: {"other": ["a", "b"]}}, "raise", (L, "age")),
        Case("labels too short", {L: {"age": ["< 40"]}}, "raise", (L, A, "age")),
        Case("labels a string", {L: "age"}, "raise", (L,)),
        Case("keys repeated", {K: {"class": [1, 1]}}, "raise", (K, "class")),
        Case("keys missing", {K: {"class": [0, None]}}, "raise", (K, "class")),
        Case("keys empty", {K: {}}, "raise", (K,)),
        Case("keys wrong count", {K: {"class": [0, 1, 2]}}, "raise", (K, A, "age")),
        Case("keys not a table", {K: 5}, "raise", (K,)),
        Case("keys of mixed types", {K: {"class": [0, "1"]}}, "either", (K, "class")),
        Case("complex statistics", {A: {"age": ok + 1j}}, "raise", (A, "age")),
        Case("counts near 1e12", {A: {"age": ok * 1e11}}, "return", (A, "age")),
    ]
    return Cases(curated)


def valid_count_table(t) -> None:
    """A table keyed by class 0/1: its IV frame is valid (finite estimates and intervals)."""
    assert isinstance(t, CountTable)
    valid_summary(iv_from_counts(t))


def call_woe_table(case):
    kw = param_check(case, {"x": X0["income"], "y": Y0, "bins": 5})
    return woe_table(**kw)


def x_cases(arg: str = "x"):
    inc = X0["income"].to_numpy()
    c = (arg,)
    curated = [
        Case("None", {arg: None}, "raise", c),
        Case("inf", {arg: np.where(np.arange(N) == 4, np.inf, inc)}, "raise", c),
        Case("complex", {arg: inc + 1j}, "raise", c),
        Case("2-D", {arg: np.c_[inc, inc]}, "raise", c),
        Case("dict", {arg: {"a": 1}}, "raise", c),
        Case(
            "mixed objects",
            {arg: np.array([1.0, "a", None, 2] * (N // 4), dtype=object)},
            "raise",
            c,
        ),
        Case("empty", {arg: []}, "raise", (arg, "y")),
        Case("short", {arg: inc[:-1]}, "raise", (arg, "y")),
        Case("constant", {arg: np.ones(N)}, "either", c),
        Case("all missing", {arg: np.full(N, np.nan)}, "either", c),
        Case("huge 1e300", {arg: inc * 1e300}, "return", c),
        Case("tiny 1e-310", {arg: inc * 1e-310}, "return", c),
        Case("offset 1e12", {arg: inc + 1e12}, "return", c),
        Case("numbers as objects", {arg: inc.astype(object)}, "either", c),
        Case("strings", {arg: inc.astype(str)}, "either", c),
        Case("scalar", {arg: 3.0}, "raise", c),
        Case(
            "Series with other index labels",
            {arg: pd.Series(inc, index=range(1000, 1000 + N))},
            "either",  # y is numpy here: positional
            c,
        ),
    ]
    return Cases(curated)


def call_woe_tables(case):
    return woe_tables(**param_check(case, {"X": X0, "y": Y0, "bins": 5}))


def call_iv_summary(case):
    return iv_summary(**param_check(case, {"X": X0, "y": Y0}))


def special_cases(arg: str = "special_values", per_column: bool = True):
    c = (arg,)
    curated = [
        Case("unknown column", {arg: {"nope": [-1]}}, "raise", (arg, "nope")),
        Case("a number", {arg: 5}, "raise", c),
        Case("a string", {arg: "-1"}, "raise", c),
        Case("None", {arg: None}, "either", c),
        Case("values absent from the data", {arg: {"income": [-1.0]}}, "either", c),
        Case("nested", {arg: {"income": [[1]]}}, "either", c),
    ]
    if not per_column:
        curated = [
            Case("a number", {arg: 5}, "raise", c),
            Case("a string", {arg: "-1"}, "either", c),
            Case("absent values", {arg: [-1.0, 9999.0]}, "either", c),
            Case("a dict", {arg: {"income": [-1]}}, "raise", c),
        ]
    return Cases(curated)


def call_psi(case):
    e = X0["income"].to_numpy()[:20]
    a = X0["income"].to_numpy()[20:]
    return psi(**param_check(case, {"expected": e, "actual": a, "bins": 4}))


def psi_data_cases():
    e = X0["income"].to_numpy()[:20]
    cats = pd.Categorical(["a", "b", "c", "a"] * 5)
    new = pd.Categorical(["a", "b", "c", "z"] * 5)
    E, A = "expected", "actual"
    curated = [
        Case("expected empty", {E: []}, "raise", (E,)),
        Case("actual empty", {A: []}, "raise", (A,)),
        Case("expected None", {E: None}, "raise", (E,)),
        Case("actual inf", {A: np.r_[e[:-1], np.inf]}, "raise", (A,)),
        Case("expected complex", {E: e + 1j}, "raise", (E,)),
        Case("actual 2-D", {A: np.c_[e, e]}, "raise", (A,)),
        Case("actual mixed objects", {A: np.array([1.0, "a"] * 10, dtype=object)}, "raise", (A,)),
        Case("expected constant", {E: np.ones(20)}, "either", (E,)),
        Case("huge 1e300", {E: e * 1e300, A: e[::-1] * 1e300}, "return", (E,)),
        Case("offset 1e12", {E: e + 1e12, A: e[::-1] + 1e12}, "return", (E,)),
        Case(
            "a category new in actual",
            {E: cats, A: new, "bins": None},
            "return",
            (A,),
        ),
        Case(
            "expected weight negative",
            {"expected_weight": -np.ones(20)},
            "raise",
            ("expected_weight",),
        ),
        Case(
            "actual weight short",
            {"actual_weight": np.ones(5)},
            "raise",
            ("actual_weight", "actual"),
        ),
        Case(
            "actual weight 1e200",
            {"actual_weight": np.full(20, 1e200)},
            "return",
            ("actual_weight",),
        ),
        Case("reference='nope'", {"reference": "nope"}, "raise", ("reference",)),
        Case("thresholds reversed", {"thresholds": (0.25, 0.1)}, "raise", ("thresholds",)),
        Case("thresholds a string", {"thresholds": "0.1"}, "raise", ("thresholds",)),
    ]
    return Cases(curated)


def call_psi_summary(case):
    e = X0.iloc[:20].reset_index(drop=True)
    a = X0.iloc[20:].reset_index(drop=True)
    return psi_summary(**param_check(case, {"expected": e, "actual": a, "bins": 4}))


def psi_summary_cases():
    e = X0.iloc[:20].reset_index(drop=True)
    a = X0.iloc[20:].reset_index(drop=True)
    E, A = "expected", "actual"
    new_region = a.assign(region=pd.Categorical(["north", "south", "west", "east"] * 5))
    curated = [
        Case("expected ndarray", {E: e.to_numpy()}, "either", (E,)),
        Case("actual lacks a column", {A: a.drop(columns="age")}, "raise", (A, "age")),
        Case("actual None", {A: None}, "raise", (A,)),
        Case("expected no rows", {E: e.iloc[:0]}, "raise", (E,)),
        Case("actual inf", {A: a.assign(income=np.inf)}, "raise", (A, "income")),
        Case("a category new in actual", {A: new_region}, "return", (A, "region")),
        Case(
            "a text category new in actual",
            {
                E: e.assign(region=e["region"].astype(str)),
                A: new_region.assign(region=new_region["region"].astype(str)),
            },
            "either",
            (A, "region"),
        ),
        Case("bins for an unknown column", {"bins": {"nope": 3}}, "raise", ("bins", "nope")),
        Case("bins='5'", {"bins": "5"}, "raise", ("bins",)),
        Case("bins=True", {"bins": True}, "raise", ("bins",)),
        Case(
            "expected weight NaN",
            {"expected_weight": np.full(20, np.nan)},
            "raise",
            ("expected_weight",),
        ),
        Case(
            "actual weight huge",
            {"actual_weight": np.full(20, 1e200)},
            "return",
            ("actual_weight",),
        ),
        Case("alpha=1.5", {"alpha": 1.5}, "raise", ("alpha",)),
    ]
    return Cases(curated)


def call_protected(case):
    return protected_divergence(**param_check(case, {"X": X0, "protected": "region", "y": Y0}))


def protected_cases():
    P = "protected"
    curated = [
        Case("unknown column", {P: "nope"}, "raise", (P, "nope")),
        Case("None", {P: None}, "raise", (P,)),
        Case("one group", {P: np.zeros(N, int)}, "raise", (P,)),
        Case("short labels", {P: np.r_[[0, 1] * (N // 2 - 1)]}, "raise", (P, "X")),
        Case("labels with NaN", {P: np.where(np.arange(N) < 20, 1.0, np.nan)}, "either", (P,)),
        Case(
            "Series with other index",
            {P: pd.Series(Y0, index=range(1000, 1000 + N))},
            "raise",
            (P, "X"),
        ),
        Case("a dict", {P: {"a": 1}}, "raise", (P,)),
        Case("every column", {P: ["income", "age", "region"]}, "either", (P, "X")),
        Case("comparison='nope'", {"comparison": "nope"}, "raise", ("comparison",)),
        Case("reference not a group", {"reference": "mars"}, "raise", ("reference", "mars")),
        Case("score NaN", {"score": np.full(N, np.nan)}, "raise", ("score",)),
        Case("score short", {"score": np.ones(N - 1)}, "raise", ("score", "X")),
        Case("score text", {"score": np.array(["a"] * N)}, "raise", ("score",)),
        Case(
            "score binary, minority high",
            {"score": (np.arange(N) % 5 == 0).astype(float)},
            "return",
            ("score",),
        ),
        Case(
            "score_bins='5'",
            {"score": np.arange(N, dtype=float), "score_bins": "5"},
            "raise",
            ("score_bins",),
        ),
        Case("bins={'nope': 3}", {"bins": {"nope": 3}}, "raise", ("bins", "nope")),
    ]
    return Cases(curated)


def call_auc(case):
    rng = np.random.default_rng(5)
    return auc(**param_check(case, {"y": Y0, "score": Y0 + rng.normal(size=N)}))


def score_cases(arg: str = "score"):
    rng = np.random.default_rng(6)
    s = rng.normal(size=N)
    c = (arg,)
    curated = [
        Case("NaN", {arg: np.where(np.arange(N) == 3, np.nan, s)}, "raise", c),
        Case("inf", {arg: np.where(np.arange(N) == 3, np.inf, s)}, "raise", c),
        Case("short", {arg: s[:-1]}, "raise", (arg, "y")),
        Case("text", {arg: np.array(["a"] * N)}, "raise", c),
        Case("complex", {arg: s + 1j}, "raise", c),
        Case("None", {arg: None}, "raise", c),
        Case("2 columns", {arg: np.c_[s, s]}, "raise", c),
        Case("constant", {arg: np.zeros(N)}, "return", c),
        Case("huge 1e300", {arg: s * 1e300}, "return", c),
        Case("tiny 1e-310", {arg: s * 1e-310}, "return", c),
        Case(
            "Series with other index", {arg: pd.Series(s, index=range(1000, 1000 + N))}, "either", c
        ),
    ]
    return Cases(curated)


def stump_param_cases():
    P = {
        "max_bins": lambda v: is_int(v) and v >= 2,
        "min_bin_share": lambda v: is_real(v) and 0 <= v < 0.5,
        # a dict gives a trend per column; an empty one leaves every column "auto"
        "monotone_trend": lambda v: (
            v is None
            or (isinstance(v, dict) and not v)
            or v in ("auto", "increasing", "decreasing")
        ),
        "strategy": options("joint", "per_feature"),
        "n_estimators": lambda v: (is_int(v) and v >= 1) or v == "auto",
        "learning_rate": lambda v: is_real(v) and v > 0,  # inf: refused or handled
        "n_cells": lambda v: (is_int(v) and v >= 1) or v == "auto",
        "merge_alpha": lambda v: v is None or in_open_unit(v),
        "output": options("index", "label"),
        "n_jobs": lambda v: v is None or (is_int(v) and (v >= 1 or v == -1)),
        "device": lambda v: isinstance(v, str) and (v == "cpu" or v.startswith("cuda")),
    }
    return combine(*(scalar_cases(k, ok) for k, ok in P.items()))


def call_stump_fit(case):
    o = case.overrides
    params = {k: v for k, v in o.items() if k not in ("X", "y", "sample_weight")}
    params.setdefault("n_estimators", 10)
    est = StumpBinner(random_state=0, **params)
    return est.fit(o.get("X", X0), o.get("y", Y0), sample_weight=o.get("sample_weight"))


def valid_binner(est) -> None:
    assert set(est.bins_)
    repr(est)


def transform_cases(n_cols: int = 3):
    """Bad inputs to ``transform`` after a fit on ``X0``."""
    T = "X"
    curated = [
        Case("ndarray after a DataFrame fit", {T: X0.to_numpy()}, "either", (T,)),
        Case("a column missing", {T: X0.drop(columns="age")}, "raise", (T, "age")),
        Case("columns renamed", {T: X0.set_axis(["a", "b", "c"], axis=1)}, "raise", (T,)),
        Case("columns reordered", {T: X0[["region", "income", "age"]]}, "either", (T,)),
        Case("inf", {T: X0.assign(income=np.inf)}, "raise", (T, "income")),
        Case("text in a numeric column", {T: X0.assign(income="a")}, "raise", (T, "income")),
        Case(
            "an unseen category",
            {T: X0.assign(region=pd.Categorical(["west"] * N))},
            "return",
            (T, "region"),
        ),
        Case("None", {T: None}, "raise", (T,)),
        Case("no rows", {T: X0.iloc[:0]}, "either", (T,)),
        Case("huge values", {T: X0.assign(income=1e300)}, "return", (T, "income")),
        Case("a list of lists", {T: [[1, 2], [3]]}, "raise", (T,)),
    ]
    return Cases(curated)


@pytest.fixture(scope="module")
def fitted():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InfodivWarning)
        return {
            "StumpBinner": StumpBinner(random_state=0, n_estimators=10).fit(X0, Y0),
            "WoEEncoder": WoEEncoder(random_state=0).fit(X0, Y0),
            "Scorecard": Scorecard(random_state=0, cross_fit=False).fit(X0, Y0),
        }


def encoder_param_cases():
    P = {
        "cv": lambda v: is_int(v) and v >= 2,
        "unknown_value": lambda v: is_real(v) and math.isfinite(v),
        "woe_sign": options("bad/good", "good/bad"),
        "alpha": in_open_unit,
    }
    return combine(*(scalar_cases(k, ok) for k, ok in P.items()), bins_cases())


def call_encoder_fit(case):
    o = case.overrides
    params = {k: v for k, v in o.items() if k not in ("X", "y", "sample_weight")}
    est = WoEEncoder(random_state=0, **params)
    return est.fit(o.get("X", X0), o.get("y", Y0), sample_weight=o.get("sample_weight"))


def scorecard_param_cases():
    P = {
        "min_iv": lambda v: v is None or (is_real(v) and v >= 0),  # inf: every feature dropped
        "max_iv_pvalue": lambda v: v is None or in_open_unit(v),
        "pdo": lambda v: is_real(v) and math.isfinite(v) and v > 0,
        "base_score": lambda v: is_real(v) and math.isfinite(v),
        "base_odds": lambda v: is_real(v) and math.isfinite(v) and v > 0,
        "alpha": in_open_unit,
        "cross_fit": lambda v: isinstance(v, bool | np.bool_),
    }
    return combine(*(scalar_cases(k, ok) for k, ok in P.items()))


def call_scorecard_fit(case):
    o = case.overrides
    params = {k: v for k, v in o.items() if k not in ("X", "y", "sample_weight")}
    params.setdefault("cross_fit", False)
    est = Scorecard(random_state=0, **params)
    X = o.get("X", X0)
    est.fit(X, o.get("y", Y0), sample_weight=o.get("sample_weight"))
    # the validator scores the rows the card was fitted on: a card fitted on datetime ages
    # rightly refuses X0's integer ages (the fit is what is fuzzed, not a dtype change)
    est._fuzz_fit_X = X if isinstance(X, pd.DataFrame) and len(X) == N else X0
    return est


def valid_scorecard(est) -> None:
    X = getattr(est, "_fuzz_fit_X", X0)
    p = est.predict_proba(X)
    assert p.shape == (N, 2) and np.isfinite(p).all()
    assert np.isfinite(est.score(X)).all()


def valid_transform(out) -> None:
    arr = np.asarray(out, dtype=float)
    assert arr.shape[0] in (0, N) and np.isfinite(arr).all()


def pn_cases():
    rng = np.random.default_rng(7)
    x = rng.normal(size=N)
    P = {
        "family": lambda v: (
            isinstance(v, str)
            and v
            in (
                "bernoulli",
                "categorical",
                "poisson",
                "exponential",
                "gamma",
                "normal",
                "multivariate_normal",
            )
        ),
        "epsilon": lambda v: is_real(v) and math.isfinite(v) and v > 0,
        "order": lambda v: is_int(v) and v in (1, 2),
        "alpha": in_open_unit,
    }
    data = [
        Case("X None", {"X": None}, "raise", ("X",)),
        Case("X NaN", {"X": np.where(np.arange(N) == 2, np.nan, x)}, "raise", ("X",)),
        Case("X inf", {"X": np.where(np.arange(N) == 2, np.inf, x)}, "raise", ("X",)),
        Case("X text", {"X": np.array(["a"] * N)}, "raise", ("X",)),
        Case("X empty", {"X": np.array([])}, "raise", ("X",)),
        Case("X complex", {"X": x + 1j}, "raise", ("X",)),
        Case("X constant", {"X": np.ones(N)}, "either", ("X",)),
        Case("X huge", {"X": x * 1e300}, "either", ("X",)),
        Case("poisson on negatives", {"X": x, "family": "poisson"}, "raise", ("X", "poisson")),
        Case(
            "bernoulli on 0/2",
            {"X": 2 * (x > 0), "family": "bernoulli"},
            "raise",
            ("X", "bernoulli"),
        ),
        Case("weights negative", {"sample_weight": -np.ones(N)}, "raise", ("sample_weight",)),
        Case("weights short", {"sample_weight": np.ones(N - 1)}, "raise", ("sample_weight", "X")),
    ]
    return combine(Cases(data), *(scalar_cases(k, ok) for k, ok in P.items()))


def call_pn(case):
    rng = np.random.default_rng(7)
    o = case.overrides
    params = {k: v for k, v in o.items() if k in ("family", "epsilon", "order", "alpha")}
    est = PNCriterion(**params)
    return est.fit(o.get("X", rng.normal(size=N)), sample_weight=o.get("sample_weight"))


def valid_pn(est) -> None:
    assert finite(est.risk_) and finite(est.n_required_)
    est.summary()


def bounds_cases():
    rng = np.random.default_rng(8)
    X = rng.uniform(-1, 1, size=(N, 1))
    A = rng.binomial(1, 0.5, N)
    Y = np.clip(0.4 + 0.2 * A + 0.2 * rng.normal(size=N), 0, 1)
    P = {
        "kind": lambda v: (
            isinstance(v, str) and v in ("kl", "hellinger", "chi2", "tv", "js", "all")
        ),
        "n_folds": lambda v: is_int(v) and v >= 2,
        "alpha": in_open_unit,
        "propensity_clip": lambda v: is_real(v) and 0 < v < 0.5,
    }
    data = [
        Case("A not binary", {"A": A * 2 + 1}, "raise", ("A",)),
        Case("A with NaN", {"A": np.where(np.arange(N) == 1, np.nan, A)}, "raise", ("A",)),
        Case("A text", {"A": np.where(A == 1, "t", "c")}, "raise", ("A",)),
        Case("A one arm", {"A": np.ones(N, int)}, "raise", ("A",)),
        Case("Y outside support", {"Y": Y + 5}, "raise", ("Y", "support")),
        Case("Y short", {"Y": Y[:-1]}, "raise", ("Y", "A")),
        Case("Y text", {"Y": np.array(["a"] * N)}, "raise", ("Y",)),
        Case("Y inf", {"Y": np.where(np.arange(N) == 1, np.inf, Y)}, "raise", ("Y",)),
        Case("X text", {"X": np.array([["a"]] * N)}, "raise", ("X",)),
        Case("X short", {"X": X[:-1]}, "raise", ("X", "A")),
        Case("X NaN", {"X": np.where(X > 0.5, np.nan, X)}, "raise", ("X",)),
        Case(
            "A Series, other index",
            {"A": pd.Series(A, index=range(1000, 1000 + N)), "X": pd.DataFrame(X)},
            "raise",
            ("A", "X"),
        ),
        Case("support reversed", {"support": (1.0, 0.0)}, "raise", ("support",)),
        Case("support a string", {"support": "0,1"}, "raise", ("support",)),
        Case("support NaN", {"support": (0.0, math.nan)}, "raise", ("support",)),
        Case("radius negative", {"radius": -1.0}, "raise", ("radius",)),
        Case("radius text", {"radius": "abc"}, "raise", ("radius",)),
    ]
    return combine(Cases(data), *(scalar_cases(k, ok) for k, ok in P.items()))


def call_bounds(case):
    from infodiv.causal import DivergenceBounds

    rng = np.random.default_rng(8)
    X = rng.uniform(-1, 1, size=(N, 1))
    A = rng.binomial(1, 0.5, N)
    Y = np.clip(0.4 + 0.2 * A + 0.2 * rng.normal(size=N), 0, 1)
    o = case.overrides
    params = {k: v for k, v in o.items() if k not in ("X", "A", "Y")}
    params.setdefault("support", (0.0, 1.0))
    params.setdefault("n_folds", 2)
    est = DivergenceBounds(random_state=0, **params)
    return est.fit(o.get("X", X), o.get("A", A), o.get("Y", Y))


def valid_bounds(est) -> None:
    t = est.table()
    assert np.isfinite(t[["lower", "upper"]].to_numpy(dtype=float)).all()
    assert (t["lower"] <= t["upper"] + 1e-12).all()


# ---------------------------------------------------------------------------- the registry
ENTRIES = {
    "divergence": (
        call_divergence,
        {
            "p_counts": counts_cases("p_counts"),
            "kind": kind_cases(),
            "alpha": alpha_cases(),
            "ci_method": scalar_cases("ci_method", options("auto", "wald", "ncx2")),
            "zero_cells": scalar_cases("zero_cells", options("smooth", "raise")),
            "pseudocount": scalar_cases(
                "pseudocount", lambda v: is_real(v) and math.isfinite(v) and v > 0
            ),
            "reference": scalar_cases("reference", options("sampled", "fixed")),
        },
        valid_divergence,
    ),
    "CountTable.from_arrays": (
        call_from_arrays,
        {"arrays": from_arrays_cases()},
        valid_count_table,
    ),
    "woe_table": (
        call_woe_table,
        {
            "x": x_cases(),
            "y": y_cases(data_arg="x"),
            "bins": bins_cases(per_column=False),
            "sample_weight": weight_cases(data_arg="x", y=Y0),
            "alpha": alpha_cases(),
            "woe_sign": scalar_cases("woe_sign", options("bad/good", "good/bad")),
            "special_values": special_cases(per_column=False),
        },
        valid_woe_table,
    ),
    "woe_tables": (
        call_woe_tables,
        {
            "X": frame_cases(),
            "y": y_cases(),
            "bins": bins_cases(),
            "sample_weight": weight_cases(y=Y0),
            "special_values": special_cases(),
        },
        valid_tables,
    ),
    "iv_summary": (
        call_iv_summary,
        {
            "X": frame_cases(),
            "y": y_cases(),
            "bins": bins_cases(),
            "sample_weight": weight_cases(y=Y0),
            "alpha": alpha_cases(),
            "special_values": special_cases(),
        },
        valid_summary,
    ),
    "psi": (
        call_psi,
        {
            "data": psi_data_cases(),
            "bins": bins_cases(per_column=False),
            "alpha": alpha_cases(),
        },
        valid_psi,
    ),
    "psi_summary": (call_psi_summary, {"data": psi_summary_cases()}, valid_summary),
    "protected_divergence": (
        call_protected,
        {
            "protected": protected_cases(),
            "y": y_cases(optional=True),
            "X": frame_cases(),
            "sample_weight": weight_cases(y=Y0),
            "alpha": alpha_cases(),
        },
        valid_protected,
    ),
    "auc": (
        call_auc,
        {
            "y": y_cases(data_arg="score", labelled=False),
            "score": score_cases(),
            "alpha": alpha_cases(),
        },
        valid_auc,
    ),
    "StumpBinner.fit": (
        call_stump_fit,
        {
            "params": stump_param_cases(),
            "X": frame_cases(),
            "y": y_cases(),
            "sample_weight": weight_cases(y=Y0),
        },
        valid_binner,
    ),
    "WoEEncoder.fit": (
        call_encoder_fit,
        {"params": encoder_param_cases(), "X": frame_cases(), "y": y_cases()},
        valid_binner,
    ),
    "Scorecard.fit": (
        call_scorecard_fit,
        {
            "params": scorecard_param_cases(),
            "X": frame_cases(),
            "y": y_cases(),
            "sample_weight": weight_cases(y=Y0),
        },
        valid_scorecard,
    ),
    "PNCriterion.fit": (call_pn, {"all": pn_cases()}, valid_pn),
    "DivergenceBounds.fit": (call_bounds, {"all": bounds_cases()}, valid_bounds),
}

CATALOGUE = [
    (e, a, i) for e, (_, args, _) in ENTRIES.items() for a in args for i in range(len(args[a][0]))
]
RANDOM_PAIRS = [(e, a) for e, (_, args, _) in ENTRIES.items() for a in args if args[a][1]]


@pytest.mark.parametrize(
    ("entry", "arg", "i"),
    CATALOGUE,
    ids=[f"{e}-{a}-{ENTRIES[e][1][a][0][i].what}" for e, a, i in CATALOGUE],
)
def test_catalogue(entry, arg, i):
    """Every case of the catalogue, once: the contract on each named bad input."""
    call, args, validate = ENTRIES[entry]
    case = args[arg].curated[i]
    check(lambda: call(case), case, validate)


@pytest.mark.parametrize(("entry", "arg"), RANDOM_PAIRS, ids=[f"{e}-{a}" for e, a in RANDOM_PAIRS])
@FUZZ
@given(data=st.data())
def test_random_inputs(entry, arg, data):
    """Random values (hypothesis) of the arguments that have a random strategy."""
    call, args, validate = ENTRIES[entry]
    case = data.draw(args[arg].random, label=f"{entry}({arg})")
    check(lambda: call(case), case, validate)


TRANSFORMS = {
    "StumpBinner": lambda est, X: est.transform(X),
    "WoEEncoder": lambda est, X: est.transform(X),
    "Scorecard": lambda est, X: est.predict_proba(X),
}


TRANSFORM_CASES = transform_cases().curated


@pytest.mark.parametrize("which", list(TRANSFORMS))
@pytest.mark.parametrize("case", TRANSFORM_CASES, ids=[c.what for c in TRANSFORM_CASES])
def test_transform_contract(fitted, which, case):
    est = fitted[which]
    check(lambda: TRANSFORMS[which](est, case.overrides["X"]), case, valid_transform)


# ---------------------------------------------------------------------------- the frontier
def frontier_cases():
    P = {
        "budget": options("score_gap", "feature_divergence", "both"),
        "n_points": lambda v: is_int(v) and 1 <= v <= 3,
        "max_features": lambda v: is_int(v) and 1 <= v <= 3,
        "solver": options("highs", "cbc"),
        "validation_size": lambda v: is_real(v) and 0.2 <= v <= 0.5,
        "comparison": options("rest", "pairwise"),
        "alpha": in_open_unit,
    }
    data = [
        Case("protected not a column", {"protected": "nope"}, "raise", ("protected", "nope")),
        Case("protected None", {"protected": None}, "raise", ("protected",)),
        Case("y one class", {"y": np.zeros(N, int)}, "raise", ("y",)),
        Case(
            "y strings without event",
            {"y": np.where(Y0 == 1, "bad", "good")},
            "raise",
            ("y", "event"),
        ),
        Case("y short", {"y": Y0[:-1]}, "raise", ("y", "X")),
        Case("X ndarray", {"X": X0.to_numpy()}, "raise", ("X",)),
        Case("weights negative", {"sample_weight": -np.ones(N)}, "raise", ("sample_weight",)),
    ]
    # valid values of the parameters would solve the frontier (slow): only invalid ones here
    params = combine(*(scalar_cases(k, ok) for k, ok in P.items()))
    return Cases(
        data + [c for c in params.curated if c.mode == "raise"],
        params.random.filter(lambda c: c.mode == "raise"),
    )


FRONTIER = frontier_cases()


def frontier_fit(case):
    from infodiv.fairness import FairnessFrontier

    o = case.overrides
    params = {k: v for k, v in o.items() if k not in ("X", "y", "sample_weight")}
    params.setdefault("protected", "region")
    params.setdefault("n_points", 1)
    params.setdefault("max_features", 2)
    est = FairnessFrontier(random_state=0, time_limit=5.0, **params)
    check(
        lambda: est.fit(o.get("X", X0), o.get("y", Y0), sample_weight=o.get("sample_weight")),
        case,
    )


@pytest.mark.parametrize("case", FRONTIER.curated, ids=[c.what for c in FRONTIER.curated])
def test_fairness_frontier_contract(case):
    frontier_fit(case)


@FEW
@given(case=FRONTIER.random)
def test_fairness_frontier_random_parameters(case):
    frontier_fit(case)


# ---------------------------------------------------------------------------- bins files
def bins_text_cases():
    ok = {
        "format": "infodiv.bins",
        "version": 1,
        "bins": [{"feature": "age", "edges": [25.0, 40.0]}],
    }

    def doc(**change):
        d = json.loads(json.dumps(ok))
        d.update(change)
        return json.dumps(d)

    def one(**entry):
        return json.dumps({**ok, "bins": [entry]})

    T = "text"
    curated = [
        Case("not JSON", {T: "{nope"}, "raise", (T,)),
        Case("empty", {T: ""}, "raise", (T,)),
        Case("a JSON list", {T: "[1, 2]"}, "raise", (T,)),
        Case("no format", {T: json.dumps({"bins": ok["bins"]})}, "raise", (T, "format")),
        Case(
            "no bins",
            {T: json.dumps({"format": "infodiv.bins", "version": 1})},
            "raise",
            (T, "bins"),
        ),
        Case("bins not a list", {T: doc(bins=5)}, "raise", (T, "bins")),
        Case("an entry without feature", {T: one(edges=[1.0])}, "raise", (T, "feature")),
        Case(
            "edges decreasing",
            {T: one(feature="age", edges=[40.0, 25.0])},
            "raise",
            ("age", "edges"),
        ),
        Case("edges text", {T: one(feature="age", edges=["a"])}, "raise", ("age", "edges")),
        Case(
            "edges and categories",
            {T: one(feature="age", edges=[1.0], categories=[["a"]])},
            "raise",
            ("age",),
        ),
        Case("neither edges nor categories", {T: one(feature="age")}, "raise", ("age",)),
        Case(
            "categories not lists",
            {T: one(feature="c", categories=5)},
            "raise",
            ("c", "categories"),
        ),
        Case("edges NaN", {T: one(feature="age", edges=[float("nan")])}, "raise", ("age", "edges")),
        Case("a future version", {T: doc(version=99)}, "either", (T, "version")),
        Case("not text", {T: 5}, "raise", (T,)),
        Case("None", {T: None}, "raise", (T,)),
    ]
    return Cases(
        curated, st.text(max_size=20).map(lambda s: Case("random text", {T: s}, "raise", (T,)))
    )


BINS_TEXTS = bins_text_cases()


def from_json(case):
    from infodiv.io import bins_from_json

    check(lambda: bins_from_json(case.overrides["text"]), case)


@pytest.mark.parametrize("case", BINS_TEXTS.curated, ids=[c.what for c in BINS_TEXTS.curated])
def test_bins_from_json_contract(case):
    from_json(case)


@FUZZ
@given(case=BINS_TEXTS.random)
def test_bins_from_json_random_text(case):
    from_json(case)


def check_path(call, case: Case):
    """As :func:`check`; an ``OSError`` naming the file (missing file, a folder) is also fine."""
    try:
        call()
    except OSError as exc:
        assert any(names(str(exc), c) for c in case.culprits), f"{case!r}: {exc}"
        return
    check(call, case)


TEXT_CASES = [c for c in BINS_TEXTS.curated if isinstance(c.overrides["text"], str)]


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c.what for c in TEXT_CASES])
def test_load_bins_contract(tmp_path, case):
    from infodiv.io import load_bins

    path = tmp_path / "bins.json"
    path.write_text(case.overrides["text"], encoding="utf-8")
    c = Case(case.what, case.overrides, case.mode, (*case.culprits, str(path), "bins.json"))
    check(lambda: load_bins(path), c)


def test_load_bins_missing_file_and_folder(tmp_path):
    from infodiv.io import load_bins

    for p in (tmp_path / "nope.json", tmp_path):
        check_path(lambda p=p: load_bins(p), Case(f"path {p.name}", {}, "raise", (str(p), p.name)))


# ---------------------------------------------------------------------------- command line
@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    rng = np.random.default_rng(9)
    n = 120
    df = pd.DataFrame(
        {
            "income": np.round(rng.lognormal(8, 0.6, n), 2),
            "age": rng.integers(18, 70, n),
            "region": rng.choice(["north", "south", "east"], n),
            "default": rng.integers(0, 2, n),
            "label": np.where(rng.integers(0, 2, n) == 1, "bad", "good"),
            "t": rng.integers(0, 2, n),
            "o": rng.uniform(0, 1, n),
        }
    )
    df.to_csv(d / "data.csv", index=False)
    new = df.assign(region=rng.choice(["north", "west"], n))
    new.to_csv(d / "new.csv", index=False)
    (d / "garbage.csv").write_bytes(b"\x00\x01\x02,\n\xff\xfe")
    (d / "data.txt").write_text("a,b\n1,2\n")
    (d / "exists.csv").write_text("x\n")
    return d


DATA, NEW = "data.csv", "new.csv"  # in the folder of the ``files`` fixture, the cwd of every run
REPORT = ["report", DATA, "--target", "default", "--no-frontier", "--quiet", "--format", "md"]
BOUNDS = ["bounds", DATA, "--treatment", "t", "--outcome", "o"]
PN = ["pn", DATA, "--columns"]

# (argv, mode): ``raise`` a user error (exit 2, one error line), ``return`` exit 0, ``either``
CLI_CASES = [
    ([], "raise"),
    (["nope"], "raise"),
    (["psi"], "raise"),
    (["psi", DATA], "raise"),
    (["psi", DATA, "missing.csv"], "raise"),
    (["psi", DATA, "garbage.csv"], "raise"),
    (["psi", DATA, "data.txt"], "raise"),
    (["psi", DATA, DATA, "--bins", "abc"], "raise"),
    (["psi", DATA, DATA, "--bins", "0"], "raise"),
    (["psi", DATA, DATA, "--bins", "-3"], "raise"),
    (["psi", DATA, DATA, "--alpha", "1.5"], "raise"),
    (["psi", DATA, DATA, "--alpha", "nan"], "raise"),
    (["psi", DATA, DATA, "--columns", "nope"], "raise"),
    (["psi", DATA, DATA, "--columns", ","], "raise"),
    (["psi", DATA, DATA, "--out", "no/such/t.csv"], "raise"),
    (["psi", DATA, DATA, "--out", "."], "raise"),
    (["psi", DATA, NEW, "--columns", "region"], "return"),  # a category new in ACTUAL
    (["report", DATA], "raise"),
    (["report", DATA, "--target", "nope", "--out", "out"], "raise"),
    (["report", DATA, "--target", "label", "--out", "out", "--no-frontier", "--quiet"], "raise"),
    ([*REPORT, "--out", "no/such"], "either"),  # an output folder may be created
    ([*REPORT, "--out", "."], "either"),
    ([*REPORT, "--out", "exists.csv"], "raise"),
    ([*REPORT, "--out", "out", "--protected", "default"], "raise"),
    ([*REPORT[:-1], ",", "--out", "out"], "raise"),  # --format ,
    ([*REPORT, "--out", "out", "--format", "pdf"], "raise"),
    ([*REPORT, "--out", "out", "--alpha", "2"], "raise"),
    ([*REPORT, "--out", "out", "--baseline", NEW, "--split-by", "region"], "raise"),
    (BOUNDS, "raise"),
    ([*BOUNDS, "--support", "1", "0"], "raise"),
    ([*BOUNDS, "--support", "0", "1", "--rho", "abc"], "raise"),
    ([*BOUNDS, "--support", "0", "1", "--covariates", "region"], "raise"),
    ([*BOUNDS, "--support", "0", "1", "--kind", "nope"], "raise"),
    ([*BOUNDS, "--support", "0", "1", "--folds", "1"], "raise"),
    (["bounds", DATA, "--treatment", "o", "--outcome", "t", "--support", "0", "1"], "raise"),
    ([*PN, "nope", "--family", "normal"], "raise"),
    ([*PN, "region", "--family", "normal"], "raise"),
    ([*PN, "income", "--family", "nope"], "raise"),
    ([*PN, "income", "--family", "normal", "--epsilon", "-1"], "raise"),
]


def run_cli(argv: list[str]) -> tuple[int, str]:
    """``infodiv.cli.main(argv)`` in this process: (exit status, stderr)."""
    from infodiv.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
            except BaseException as exc:  # a traceback: the contract is broken
                return -1, f"Traceback: {type(exc).__name__}: {exc}"
    return int(code or 0), err.getvalue()


def check_cli(argv: list[str], mode: str, folder) -> None:
    with contextlib.chdir(folder):
        code, err = run_cli(argv)
    assert code != -1, f"{argv}: {err}"
    assert "Traceback" not in err, f"{argv}: {err}"
    if mode == "return" or (mode == "either" and code == 0):
        assert code == 0, f"{argv}: exit {code}: {err}"
        return
    assert code == 2, f"{argv}: exit {code} (expected 2); stderr: {err!r}"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower()]
    assert len(errors) == 1 and lines[-1] == errors[0], (
        f"{argv}: stderr is not one error line: {err!r}"
    )


@pytest.mark.parametrize(
    ("argv", "mode"), CLI_CASES, ids=[" ".join(a) or "none" for a, _ in CLI_CASES]
)
def test_cli_contract(files, argv, mode):
    check_cli(argv, mode, files)


@FUZZ
@given(
    cmd=st.sampled_from(["psi", "pn", "bounds"]),
    junk=st.lists(
        st.one_of(
            st.sampled_from(
                ["--alpha", "--bins", "--columns", "--out", "--bogus", "-x", "--", "1e999"]
            ),
            st.text(max_size=4),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_cli_random_arguments(files, cmd, junk):
    """A valid command followed by random tokens: exit 0, or exit 2 with one error line."""
    argv = {
        "psi": ["psi", DATA, DATA, "--columns", "income"],
        "pn": [*PN, "income", "--family", "normal"],
        "bounds": [*BOUNDS, "--support", "0", "1", "--folds", "2"],
    }[cmd] + junk
    with contextlib.chdir(files):
        code, err = run_cli(argv)
    assert code in (0, 2) and "Traceback" not in err, f"{argv}: exit {code}: {err}"
    if code == 2:
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert "error" in lines[-1].lower(), f"{argv}: {err!r}"


def test_cli_help_lists_every_subcommand_and_version():
    """``infodiv --help`` names every subcommand; ``infodiv --version`` prints the version."""
    import infodiv
    from infodiv.cli import build_parser, main

    parser = build_parser()
    commands = [
        name
        for action in parser._actions
        if action.__class__.__name__ == "_SubParsersAction"
        for name in action.choices
    ]
    assert commands
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    missing = [c for c in commands if not names(out.getvalue(), c)]
    assert not missing, f"--help does not list {missing}: {out.getvalue()}"
    out = io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(io.StringIO()),
        pytest.raises(SystemExit) as info,
    ):
        main(["--version"])
    assert info.value.code == 0, "infodiv --version is not an option"
    assert infodiv.__version__ in out.getvalue(), out.getvalue()
