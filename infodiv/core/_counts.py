"""The count table: per feature, bin and key (class, period, group): n, sum w and sum w^2.

Every WoE, IV, PSI and fairness divergence infodiv reports, standard errors included, is a
function of this table. Tables computed on partitions of the data merge by addition
(``table_a + table_b``), so they can be built chunk by chunk or on a cluster.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from infodiv._param_validation import Interval, StrOptions, validate_params
from infodiv._validation import (
    align_inputs,
    check_real_array,
    check_same_length,
    check_sample_weight,
    check_weight_reading,
    one_warning_per_call,
    warn_feature,
)
from infodiv.core._bins import UNSEEN, UNSEEN_LABEL, FeatureBins, unseen_label
from infodiv.core._divergence import (
    DIVERGENCES,
    DivergenceResult,
    Generator,
    divergence,
)
from infodiv.core._results import summarize
from infodiv.exceptions import InfodivWarning, InvalidParameterError, UnseenCategoryWarning

__all__ = ["CountTable", "warn_unseen_rows"]

STATS = ("n", "sum_w", "sum_w2")

#: Columns of :meth:`CountTable.divergence_summary` (``estimate`` renamed to ``value_name``).
_SUMMARY_ROW = (
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "statistic",
    "df",
    "pvalue",
    "ci_method",
    "bias_corrected",
    "n_bins",
    "smoothed_cells",
    "ci_note",
)


#: Weights whose largest value lies beyond 2**+-_W_EXP_MAX are rescaled by a power of two
#: (their squares, summed, would overflow or underflow float64).
_W_EXP_MAX = 150

_KIND_CONSTRAINT: list[Any] = [StrOptions(set(DIVERGENCES)), Generator, "callable"]


def _type_kind(value: Any) -> str:
    """The type family a key value or label belongs to: numbers (bools included) or a type.

    ``0``, ``0.0``, ``np.int64(0)`` and ``False`` are one family (they compare equal and merge);
    ``"0"`` is another: a table keyed by ``"0"/"1"`` never merges with one keyed by ``0/1``.
    """
    if isinstance(value, numbers.Number | np.bool_):
        return "number"
    if isinstance(value, str | np.str_):
        return "str"
    return type(value).__name__


def _kinds(values: Any) -> set[str]:
    return {_type_kind(v) for v in values}


def _show_values(values: Any, limit: int = 4) -> str:
    vals = list(dict.fromkeys(values))
    types = sorted({type(v).__name__ for v in vals})
    shown = ", ".join(repr(v) for v in vals[:limit]) + (", ..." if len(vals) > limit else "")
    return f"{'/'.join(types)} {shown}"


def _check_same_kinds(what: str, a: Any, b: Any, fix: str) -> None:
    """Raise when two collections of key values (or labels) hold different type families."""
    a, b = list(a), list(b)
    if a and b and _kinds(a) != _kinds(b):
        raise InvalidParameterError(
            f"{what} differ in type: {_show_values(a)} vs {_show_values(b)}; {fix}"
        )


def _with_unseen(a: Sequence[str], b: Sequence[str]) -> list[str] | None:
    """The bin labels of two tables of one feature, merged; ``None`` when they differ.

    Equal labels merge to themselves; labels that differ only by a last bin ``"unseen"``
    (rows whose category was in no bin, counted in one table only) merge to the longer.
    """
    a, b = list(a), list(b)
    if a == b:
        return a
    long, short = (a, b) if len(a) > len(b) else (b, a)
    if long[:-1] == short and long[-1].startswith(UNSEEN_LABEL):
        return long
    return None


def warn_unseen_rows(feature: str, rows: int, label: str) -> None:
    """Warn (aggregated per call) that ``rows`` rows of ``feature`` hold categories in no bin.

    Parameters
    ----------
    feature : str
        The feature.
    rows : int
        How many rows (or cells) hold such categories.
    label : str
        The label of the bin that counts them.
    """
    rule = (
        f"counted in the bin {label!r} (a table without such rows has 0 there; a divergence "
        "smooths the empty cell by the zero-cell rule)"
    )
    warn_feature(
        f"column {feature!r}: {rows} rows hold categories in no bin; {rule}",
        UnseenCategoryWarning,
        feature=feature,
        head=f"count table: rows hold categories in no bin; {rule}",
        detail=f"column {feature!r}: {rows} rows",
        stacklevel=4,
    )


def _weight_scale(w: np.ndarray) -> float:
    """1.0, or the power of two that brings the largest weight near 1 when squares overflow.

    Sums of squared weights (Kish sizes) overflow float64 for weights beyond about 1e154 and
    lose every digit below 1e-154; every statistic infodiv computes from a count table is
    unchanged by one common factor, so such weights are multiplied by ``2**-e`` (exact).
    """
    top = float(w.max()) if w.size else 0.0
    if top <= 0:
        return 1.0
    e = int(np.floor(np.log2(top)))
    if abs(e) <= _W_EXP_MAX:
        return 1.0
    return float(np.ldexp(1.0, -e))


def _key_frame(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Key rows built as the constructor builds them (so the key columns' dtypes match)."""
    keys = list(keys)
    if len(keys) == 1:
        return pd.DataFrame({keys[0]: np.asarray(frame[keys[0]].tolist(), dtype=object)})
    return pd.DataFrame(
        list(frame[keys].itertuples(index=False, name=None)), columns=keys, dtype=object
    )


def _kahan_merge(arr: np.ndarray, codes: np.ndarray, n_new: int) -> np.ndarray:
    """Sum the key rows of ``arr`` (bin x key row x stat) that share a code, in key-row order.

    Compensated (Kahan) summation exactly as pandas' group-by sum does it, so that merging key
    values here gives the same bits as a group-by of the long table (the way fairness pooled
    groups before this method existed). Plain sequential sums differ in the last bit once three
    or more weighted cells pool (measured: 209.58890983346802 vs ...805 for four groups).
    """
    total = np.zeros((arr.shape[0], n_new, arr.shape[2]))
    comp = np.zeros_like(total)
    for g, c in enumerate(codes):
        y = arr[:, g, :] - comp[:, c, :]
        t = total[:, c, :] + y
        comp[:, c, :] = t - total[:, c, :] - y
        comp[:, c, :][np.isnan(comp[:, c, :])] = 0.0  # an infinite value: keep the infinity
        total[:, c, :] = t
    return total


def _aligned_keys(by: Any, sample_weight: Any, X: Any = None) -> tuple[Any, Any]:
    """Key columns and weights matched by index label to ``X`` (or to each other).

    :func:`infodiv._validation.align_inputs` on the pandas ones; the key columns come back
    positional (arrays) so that building the key frame cannot realign them again.
    """
    if isinstance(by, pd.DataFrame):
        named = align_inputs({"X": X, "by": by, "sample_weight": sample_weight})
        return named["by"].reset_index(drop=True), named["sample_weight"]
    if not isinstance(by, Mapping):
        return by, sample_weight
    names = {k: f"by[{k!r}]" for k in by}
    named = align_inputs({"X": X, **{names[k]: by[k] for k in by}, "sample_weight": sample_weight})
    keys = {
        k: (
            named[names[k]].to_numpy()
            if isinstance(named[names[k]], pd.Series)
            else named[names[k]]
        )
        for k in by
    }
    return keys, named["sample_weight"]


class CountTable:
    """Counts per (feature, bin, key values): rows ``n``, weight sum ``sum_w``, ``sum_w2``.

    Parameters
    ----------
    frame : DataFrame
        Long table with columns ``feature``, ``bin`` (int code), ``label``, one column per key
        and ``n``, ``sum_w``, ``sum_w2``.
    keys : sequence of str
        Names of the key columns (e.g. ``["class"]`` or ``["class", "period"]``).
    labels : dict
        Bin labels of every feature, indexed by bin code.

    Examples
    --------
    >>> import pandas as pd
    >>> from infodiv.core._bins import FeatureBins
    >>> X = pd.DataFrame({"age": [22, 35, 51, 64, 30, 45]})
    >>> t = CountTable.from_frame(X, {"age": FeatureBins("age", edges=(40.0,))},
    ...                           by={"class": [1, 0, 0, 0, 1, 1]})
    >>> t.vector("age", "n", **{"class": 1}).tolist()
    [2.0, 1.0, 0.0]
    >>> (t + t).vector("age", "n", **{"class": 1}).tolist()
    [4.0, 2.0, 0.0]
    """

    def __init__(
        self, frame: pd.DataFrame, keys: Sequence[str], labels: Mapping[str, Sequence[str]]
    ):
        keys = tuple(keys)
        cols = ["feature", "bin", *keys, *STATS]
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise InvalidParameterError(f"frame lacks columns {missing}")
        if not keys:
            raise InvalidParameterError("keys must name at least one key column (e.g. ['class'])")
        for k in keys:
            if frame[k].isna().any():
                raise InvalidParameterError(f"key {k!r} has missing values")
        if len(keys) == 1:
            g, uniq = pd.factorize(frame[keys[0]], sort=True)
            key_frame = pd.DataFrame({keys[0]: np.asarray(uniq, dtype=object)})
        else:
            g, uniq = pd.factorize(pd.MultiIndex.from_frame(frame[list(keys)]), sort=True)
            key_frame = pd.DataFrame(list(uniq), columns=list(keys), dtype=object)
        arrays = {}
        for f, lab in labels.items():
            arr = np.zeros((len(lab), len(key_frame), 3))
            rows = (frame["feature"] == f).to_numpy()
            b = frame["bin"].to_numpy()[rows].astype(np.int64)
            if b.size and (b.min() < 0 or b.max() >= len(lab)):
                raise InvalidParameterError(
                    f"frame has bin codes outside 0..{len(lab) - 1} for {f!r}"
                )
            np.add.at(arr, (b, g[rows]), frame.loc[rows, list(STATS)].to_numpy(dtype=float))
            arrays[f] = arr
        self._set(keys, key_frame, labels, arrays)

    def _set(self, keys, key_frame, labels, arrays, weight_scale: float = 1.0) -> None:
        self.keys = tuple(keys)
        self.key_frame = key_frame.reset_index(drop=True)
        self.labels = {f: list(v) for f, v in labels.items()}
        self.arrays = arrays
        #: The factor the row weights were multiplied by before summing (1.0 unless they
        #: were beyond 2**+-150, see :meth:`from_codes`): ``sum_w`` is in that unit.
        self.weight_scale = float(weight_scale)
        self._frame: pd.DataFrame | None = None

    @classmethod
    def _from_arrays(cls, keys, key_frame, labels, arrays, weight_scale=1.0) -> CountTable:
        obj = cls.__new__(cls)
        obj._set(keys, key_frame, labels, arrays, weight_scale)
        return obj

    @classmethod
    def _sorted(
        cls,
        keys: Sequence[str],
        key_frame: pd.DataFrame,
        labels: Mapping[str, Sequence[str]],
        arrays: Mapping[str, np.ndarray],
        weight_scale: float = 1.0,
    ) -> CountTable:
        """The table with its key rows in sorted order, as the constructor keeps them.

        Key values that do not order (mixed types) keep the given order, as in ``__add__``.
        """
        key_frame = _key_frame(key_frame, keys)
        try:
            order = key_frame.sort_values(list(keys), kind="stable").index.to_numpy()
        except TypeError:
            order = np.arange(len(key_frame))
        if not (order == np.arange(len(key_frame))).all():
            key_frame = _key_frame(key_frame.iloc[order], keys)
            arrays = {f: a[:, order, :] for f, a in arrays.items()}
        return cls._from_arrays(keys, key_frame, labels, dict(arrays), weight_scale)

    @classmethod
    def from_arrays(
        cls,
        arrays: Mapping[str, Any],
        labels: Mapping[str, Sequence[str]],
        key_values: pd.DataFrame | Mapping[str, Sequence[Any]],
    ) -> CountTable:
        """A count table from per-feature arrays of the statistics ``n, sum_w, sum_w2``.

        The public form of the table's own layout, for code that has already summed its data
        (a binner's per-bin class sums, a cluster job): no row is re-counted.

        Parameters
        ----------
        arrays : dict of str -> array-like of shape (n_bins, n_key_rows, 3)
            Per feature, ``arrays[f][j, g]`` holds ``n``, ``sum_w`` and ``sum_w2`` of bin ``j``
            (bin codes as in :meth:`FeatureBins.codes <infodiv.core.FeatureBins.codes>`) and
            key row ``g``. Finite and non-negative.
        labels : dict of str -> sequence of str
            Bin labels of every feature in ``arrays`` (``len(labels[f]) == n_bins``).
        key_values : DataFrame or dict of str -> sequence
            One row per key combination, one column per key, in the order of the arrays'
            second axis (e.g. ``{"class": [0, 1]}``). Rows must be distinct, without missing
            values.

        Returns
        -------
        CountTable
            Keyed by the columns of ``key_values``; key rows are stored sorted (the arrays
            permuted accordingly), as :class:`CountTable` keeps them.

        Raises
        ------
        ValueError
            A feature without labels, arrays of the wrong shape or with negative or non-finite
            values, no key column, repeated or missing key values.

        Examples
        --------
        >>> import numpy as np
        >>> bad = np.array([[3, 3, 3], [1, 1, 1]])   # n, sum_w, sum_w2 per bin of class 1
        >>> good = np.array([[2, 2, 2], [6, 6, 6]])  # the same of class 0
        >>> t = CountTable.from_arrays({"age": np.stack([good, bad], axis=1)},
        ...                            {"age": ["< 40", ">= 40"]}, {"class": [0, 1]})
        >>> t.vector("age", "n", **{"class": 1}).tolist()
        [3.0, 1.0]
        """
        if not isinstance(arrays, Mapping):
            raise InvalidParameterError(
                "arrays must be a dict of feature name -> array of shape (bins, key rows, 3); "
                f"got {type(arrays).__name__}"
            )
        if not isinstance(labels, Mapping):
            raise InvalidParameterError(
                "labels must be a dict of feature name -> bin labels; "
                f"got {type(labels).__name__} {labels!r:.60}"
            )
        if not isinstance(key_values, pd.DataFrame | Mapping):
            raise InvalidParameterError(
                "key_values must be a DataFrame or a dict of key name -> values (e.g. "
                f"{{'class': [0, 1]}}); got {type(key_values).__name__} {key_values!r:.60}"
            )
        try:
            key_frame = (
                key_values.copy()
                if isinstance(key_values, pd.DataFrame)
                else pd.DataFrame(key_values)
            )
        except (TypeError, ValueError) as exc:
            raise InvalidParameterError(
                f"key_values must be a DataFrame or a dict of equal-length columns: {exc}"
            ) from None
        keys = [str(k) for k in key_frame.columns]
        if not keys:
            raise InvalidParameterError(
                "key_values must name at least one key column (e.g. {'class': [0, 1]})"
            )
        key_frame.columns = keys
        for k in keys:
            if key_frame[k].isna().any():
                raise InvalidParameterError(f"key {k!r} has missing values")
        if key_frame.duplicated().any():
            dup = key_frame[key_frame.duplicated()].iloc[0].tolist()
            raise InvalidParameterError(f"key_values has a repeated row {dup}")
        G = len(key_frame)
        out = {}
        for f, a in arrays.items():
            if f not in labels:
                raise InvalidParameterError(f"labels has no entry for feature {f!r}")
            arr = check_real_array(a, f"arrays[{f!r}]", "numbers n, sum_w, sum_w2 per bin and key")
            shape = (len(labels[f]), G, len(STATS))
            if arr.shape != shape:
                raise InvalidParameterError(
                    f"arrays[{f!r}] has shape {arr.shape}; expected {shape} "
                    "(bins, key rows, n/sum_w/sum_w2)"
                )
            if not np.isfinite(arr).all() or (arr < 0).any():
                raise InvalidParameterError(
                    f"arrays[{f!r}] must hold finite, non-negative statistics"
                )
            out[str(f)] = arr
        return cls._sorted(keys, key_frame, {f: list(labels[f]) for f in out}, out)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_codes(
        cls,
        codes: Mapping[str, np.ndarray],
        labels: Mapping[str, Sequence[str]],
        by: Mapping[str, Any] | pd.DataFrame,
        sample_weight: Any = None,
        *,
        weights: Literal["sampling", "frequency"] | None = None,
    ) -> CountTable:
        """Count integer bin codes (``codes[feature]``, values in ``0..K-1``) by key values.

        Parameters
        ----------
        codes : dict of str -> array of int
            Per feature, the bin code of every row.
        labels : dict of str -> sequence of str
            Bin labels of every feature in ``codes``.
        by : dict of str -> array-like, or DataFrame
            Key columns, one value per row (no missing values).
        sample_weight : array-like, optional
            Non-negative row weights (1 by default). Weights whose largest value is beyond
            ``2**150`` (about 1e45) or below ``2**-150`` are multiplied by the power of two
            that brings it near 1, with a warning, so that ``sum_w2`` stays finite and exact
            (every share, WoE, divergence, Kish size and SE is unchanged by a common factor);
            :attr:`weight_scale` records the factor.
        weights : {"sampling", "frequency"} or None, default None
            How ``sample_weight`` is read. ``"sampling"``: survey/sampling weights, the SEs
            use Kish effective sizes ``(sum w)^2 / sum w^2``. ``"frequency"``: each row stands
            for ``w`` identical observations (the counts of an aggregated table), so ``n`` and
            ``sum_w2`` are ``sum w`` and the table equals that of the expanded rows. ``None``:
            sampling, but refused with an error naming ``sample_weight`` when the weights look
            like aggregated counts (whole numbers, mean at least 5, at least ``max(3, rows /
            2)`` distinct values; see ``docs/numbers.md``, "Weights").

        Returns
        -------
        CountTable
            Keyed by the columns of ``by``, key rows sorted. A feature with rows coded
            ``UNSEEN`` (a category in no bin) gets one more bin, ``"unseen"``, last, with an
            :class:`~infodiv.exceptions.UnseenCategoryWarning`; tables with and without it
            still add, stack and compare (the other has zero rows there).
        """
        by, sample_weight = _aligned_keys(by, sample_weight)
        by_df = pd.DataFrame(by) if not isinstance(by, pd.DataFrame) else by
        if by_df.shape[1] == 0:
            raise InvalidParameterError("by must name at least one key (e.g. {'class': y})")
        n = len(by_df)
        for f, c in codes.items():
            check_same_length({f"codes[{f!r}]": c, "by": by_df})
        for k in by_df.columns:
            if by_df[k].isna().any():
                raise InvalidParameterError(
                    f"key {k!r} has missing values ({int(by_df[k].isna().sum())} rows)"
                )
        w = check_sample_weight(sample_weight, n)
        reading = check_weight_reading(weights, None if sample_weight is None else w)
        frequency = reading == "frequency" and sample_weight is not None
        scale = 1.0 if frequency else _weight_scale(w)
        if scale != 1.0:
            w = w * scale  # a power of two: exact
            warnings.warn(
                f"sample_weight reaches {float(w.max()) / scale:.3g}: its squares (Kish sizes) "
                f"would not be finite, so every weight was multiplied by 2**{int(np.log2(scale))}"
                " (shares, WoE, divergences and standard errors are unchanged by a common "
                "factor; the table's sum_w is in that unit, see weight_scale)",
                InfodivWarning,
                stacklevel=2,
            )
        with np.errstate(under="ignore"):
            w2 = w if frequency else w * w  # frequency: the sums of the expanded rows
        lost = (w > 0) & (w2 == 0)
        if lost.any():
            # a cell holding only such weights would have a Kish size of 0/0
            raise InvalidParameterError(
                f"sample_weight spans {float(w[w > 0].min()) / scale:.3g} to "
                f"{float(w.max()) / scale:.3g}: the squares of its {int(lost.sum())} smallest "
                "positive weights vanish in float64 next to the largest (a ratio beyond about "
                "1e150), so Kish effective sizes cannot be computed; set such weights to 0 or "
                "bring them within that range"
            )
        if by_df.shape[1] == 1:
            g, uniq = pd.factorize(by_df.iloc[:, 0], sort=True)
            key_frame = pd.DataFrame({by_df.columns[0]: np.asarray(uniq, dtype=object)})
        else:
            g, uniq = pd.factorize(pd.MultiIndex.from_frame(by_df), sort=True)
            key_frame = pd.DataFrame(list(uniq), columns=list(by_df.columns), dtype=object)
        G = len(key_frame)
        arrays = {}
        bin_labels: dict[str, list[str]] = {f: list(labels[f]) for f in codes}
        for f, c in codes.items():
            c = np.asarray(c)
            out = c == UNSEEN
            if out.any():  # categories in no bin: counted in a bin of their own, with a warning
                bin_labels[f].append(unseen_label(bin_labels[f]))
                c = np.where(out, len(bin_labels[f]) - 1, c)
                warn_unseen_rows(str(f), int(out.sum()), bin_labels[f][-1])
            K = len(bin_labels[f])
            if c.size and (c.min() < 0 or c.max() >= K):
                bad = c[(c < 0) | (c >= K)]
                what = (
                    "unseen categories" if (bad == UNSEEN).any() else f"codes {np.unique(bad)[:5]}"
                )
                raise InvalidParameterError(
                    f"column {f!r} has {bad.size} rows with {what} outside its bins"
                )
            idx = c.astype(np.int64) * G + g
            m = K * G
            arrays[f] = np.stack(
                [
                    np.bincount(idx, weights=w, minlength=m)
                    if frequency
                    else np.bincount(idx, minlength=m).astype(float),
                    np.bincount(idx, weights=w, minlength=m),
                    np.bincount(idx, weights=w2, minlength=m),
                ],
                axis=-1,
            ).reshape(K, G, 3)
        return cls._from_arrays(list(by_df.columns), key_frame, bin_labels, arrays, scale)

    @classmethod
    def from_frame(
        cls,
        X: pd.DataFrame,
        bins: Mapping[str, FeatureBins],
        by: Mapping[str, Any] | pd.DataFrame,
        sample_weight: Any = None,
        *,
        weights: Literal["sampling", "frequency"] | None = None,
    ) -> CountTable:
        """Bin every column of ``X`` named in ``bins`` and count by the key columns ``by``.

        Parameters
        ----------
        X : DataFrame
            Holds a column for every feature in ``bins``.
        bins : dict of str -> FeatureBins
            The bins of each feature.
        by : dict of str -> array-like, or DataFrame
            Key columns, one value per row of ``X``.
        sample_weight : array-like, optional
            Non-negative row weights.
        weights : {"sampling", "frequency"} or None, default None
            How ``sample_weight`` is read (:meth:`from_codes`): sampling weights (Kish
            effective sizes) or frequency weights (counts of identical rows); ``None`` is
            sampling, refused when the weights look like the counts of an aggregated table.

        Returns
        -------
        CountTable
            :meth:`from_codes` of ``bins[f].codes(X[f])``.
        """
        by, sample_weight = _aligned_keys(by, sample_weight, X)
        codes = {f: b.codes(X[f]) for f, b in bins.items()}
        labels = {f: b.labels for f, b in bins.items()}
        return cls.from_codes(codes, labels, by, sample_weight, weights=weights)

    # ------------------------------------------------------------------ algebra
    def __add__(self, other: CountTable) -> CountTable:
        if not isinstance(other, CountTable):
            return NotImplemented
        if self.keys != other.keys:
            raise InvalidParameterError(
                f"cannot merge count tables with keys {self.keys} and {other.keys}"
            )
        self._check_mergeable(other)
        merged: dict[str, list[str]] = {}
        for f in set(self.labels) & set(other.labels):
            both = _with_unseen(self.labels[f], other.labels[f])
            if both is not None:
                merged[f] = both
            else:
                _check_same_kinds(
                    f"cannot merge count tables: the bin labels of feature {f!r}",
                    self.labels[f],
                    other.labels[f],
                    "bin the features the same way",
                )
                raise InvalidParameterError(
                    f"cannot merge count tables: feature {f!r} has different bins"
                )
        cols = list(self.keys)
        both = pd.concat([self.key_frame, other.key_frame], ignore_index=True).astype(object)
        keys_all = both.drop_duplicates().reset_index(drop=True)
        try:
            keys_all = keys_all.sort_values(cols, kind="stable").reset_index(drop=True)
        except TypeError:  # mixed types that do not order: keep first-seen order
            pass
        pos = {tuple(r): i for i, r in enumerate(keys_all.itertuples(index=False, name=None))}
        G = len(keys_all)

        labels = {**self.labels, **other.labels, **merged}

        def expand(t: CountTable, f: str) -> np.ndarray:
            out = np.zeros((len(labels[f]), G, 3))  # an "unseen" bin t lacks stays at zero
            if f in t.arrays:
                idx = [pos[tuple(r)] for r in t.key_frame.itertuples(index=False, name=None)]
                out[: len(t.labels[f]), idx, :] = t.arrays[f]
            return out

        arrays = {}
        for f in labels:
            a = expand(self, f) if f in self.labels else 0.0
            b = expand(other, f) if f in other.labels else 0.0
            arrays[f] = a + b
        return CountTable._from_arrays(self.keys, keys_all, labels, arrays, self.weight_scale)

    def _check_mergeable(self, other: CountTable, what: str = "merge", keys: bool = True) -> None:
        """Refuse to add tables whose key values, feature names or weight units differ in type.

        ``'0'/'1'`` and ``0/1`` are different key values to a table: adding such tables would
        give four classes and IV on half of the rows. The same for feature names (``0`` and
        ``'0'``) and for tables whose weights were rescaled differently.
        """
        for k in self.keys if keys else ():
            _check_same_kinds(
                f"cannot {what} count tables: the values of key {k!r}",
                self.key_frame[k],
                other.key_frame[k],
                "recode one table (e.g. astype(int) or astype(str)) before merging",
            )
        names: dict[str, Any] = {}
        for f in [*self.labels, *other.labels]:
            prev = names.setdefault(str(f), f)
            if type(prev) is not type(f) and prev != f:
                raise InvalidParameterError(
                    f"cannot {what} count tables: feature names differ in type: "
                    f"{type(prev).__name__} {prev!r} vs {type(f).__name__} {f!r}; name the "
                    "features the same way"
                )
        if self.weight_scale != other.weight_scale:
            raise InvalidParameterError(
                f"cannot {what} count tables whose weights were rescaled differently "
                f"(weight_scale {self.weight_scale!r} vs {other.weight_scale!r}): divide "
                "sample_weight by one constant in every part before counting"
            )

    def __radd__(self, other: Any) -> CountTable:
        if isinstance(other, int) and other == 0:  # lets sum(tables) work
            return self
        return NotImplemented

    def __eq__(self, other: object) -> bool:
        """Same keys, bins and counts (sums of weights equal up to rounding, rtol 1e-12)."""
        if not isinstance(other, CountTable):
            return NotImplemented
        if self.keys != other.keys or self.labels != other.labels:
            return False
        a, b = self.canonical(), other.canonical()
        ids = ["feature", "bin", "label", *self.keys]
        if (
            len(a) != len(b)
            or not (a[ids].astype(str).to_numpy() == b[ids].astype(str).to_numpy()).all()
        ):
            return False
        return bool(
            (a["n"].to_numpy() == b["n"].to_numpy()).all()
            and np.allclose(a[["sum_w", "sum_w2"]], b[["sum_w", "sum_w2"]], rtol=1e-12, atol=0)
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def frame(self) -> pd.DataFrame:
        """The long table: ``feature``, ``bin``, ``label``, keys, ``n``, ``sum_w``, ``sum_w2``."""
        if self._frame is None:
            parts = []
            G = len(self.key_frame)
            for f, arr in self.arrays.items():
                K = arr.shape[0]
                part = self.key_frame.loc[np.tile(np.arange(G), K)].reset_index(drop=True)
                part.insert(0, "label", np.repeat(np.asarray(self.labels[f], dtype=object), G))
                part.insert(0, "bin", np.repeat(np.arange(K), G))
                part.insert(0, "feature", f)
                flat = arr.reshape(K * G, 3)
                for i, st in enumerate(STATS):
                    part[st] = flat[:, i]
                parts.append(part)
            cols = ["feature", "bin", "label", *self.keys, *STATS]
            self._frame = (
                pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
            )
        return self._frame

    def canonical(self) -> pd.DataFrame:
        """The long table sorted by feature, bin and keys, rows of zero count removed."""
        f = self.frame[self.frame["n"] > 0].astype({k: str for k in self.keys})
        return f.sort_values(["feature", "bin", *self.keys]).reset_index(drop=True)

    # ------------------------------------------------------------------ access
    @property
    def features(self) -> list[str]:
        """The features of the table, in insertion order."""
        return list(self.labels)

    def key_values(self, key: str) -> list[Any]:
        """Distinct values of one key present in the table (with at least one row), sorted.

        Parameters
        ----------
        key : str
            A key of the table.

        Returns
        -------
        list
            The values.
        """
        if key not in self.keys:
            raise InvalidParameterError(f"key must be one of {list(self.keys)}; got {key!r}")
        used = np.zeros(len(self.key_frame), dtype=bool)
        for arr in self.arrays.values():
            used |= arr[:, :, 0].sum(axis=0) > 0
        return sorted(pd.unique(self.key_frame.loc[used, key]).tolist())

    def _mask(self, where: Mapping[str, Any]) -> np.ndarray:
        mask = np.ones(len(self.key_frame), dtype=bool)
        for k, v in where.items():
            if k not in self.keys:
                raise InvalidParameterError(f"key must be one of {list(self.keys)}; got {k!r}")
            hit = (self.key_frame[k] == v).to_numpy()
            if not hit.any() and len(self.key_frame):
                values = self.key_frame[k].tolist()
                if _type_kind(v) not in _kinds(values):
                    raise InvalidParameterError(
                        f"{k} = {v!r} ({type(v).__name__}) is not a value of key {k!r}, whose "
                        f"values are {_show_values(values)}: the types differ; recode one"
                    )
            mask &= hit
        return mask

    # ------------------------------------------------------------------ reshaping
    def subset(self, **where: Any) -> CountTable:
        """The part of the table where each named key equals a value, without those keys.

        Parameters
        ----------
        **where
            ``key=value`` for one or more keys of the table; at least one key must remain.

        Returns
        -------
        CountTable
            The same features and bins, keyed by the remaining keys; counts unchanged.

        Raises
        ------
        ValueError
            An unknown key, no key left, or no key row with these values.

        Examples
        --------
        >>> import pandas as pd
        >>> from infodiv.core import FeatureBins
        >>> X = pd.DataFrame({"age": [22, 35, 51, 64, 30, 45]})
        >>> t = CountTable.from_frame(X, {"age": FeatureBins("age", edges=(40.0,))},
        ...     by={"class": [1, 0, 0, 0, 1, 1], "group": ["a", "a", "b", "b", "a", "b"]})
        >>> a = t.subset(group="a")
        >>> a.keys, a.vector("age", "n", **{"class": 1}).tolist()
        (('class',), [2.0, 0.0, 0.0])
        """
        if not where:
            raise InvalidParameterError("subset needs at least one key=value (e.g. group='a')")
        mask = self._mask(where)
        rest = [k for k in self.keys if k not in where]
        if not rest:
            raise InvalidParameterError(
                f"subset would remove every key {list(self.keys)}; use stats() or select()"
            )
        if not mask.any():
            raise InvalidParameterError(f"the count table has no key row where {where}")
        key_frame = self.key_frame.loc[mask, rest].reset_index(drop=True)
        arrays = {f: a[:, mask, :].copy() for f, a in self.arrays.items()}
        return CountTable._sorted(rest, key_frame, self.labels, arrays, self.weight_scale)

    def regroup(self, key: str, mapping: Mapping[Any, Any]) -> CountTable:
        """The table with the values of ``key`` renamed by ``mapping`` and merged (summed).

        Parameters
        ----------
        key : str
            A key of the table (e.g. ``"group"``).
        mapping : dict
            Old value -> new value; values not in ``mapping`` keep their name. Values mapped to
            the same name are pooled: their counts add.

        Returns
        -------
        CountTable
            Same keys, features and bins.

        Notes
        -----
        Pooled cells are summed in the table's key order with compensated (Kahan) summation,
        the arithmetic of pandas' group-by sum: bit for bit what a group-by of the long
        :attr:`frame` gives, and exact for integer counts.

        Examples
        --------
        >>> import pandas as pd
        >>> from infodiv.core import FeatureBins
        >>> X = pd.DataFrame({"age": [22, 35, 51, 64, 30, 45]})
        >>> t = CountTable.from_frame(X, {"age": FeatureBins("age", edges=(40.0,))},
        ...                           by={"group": ["a", "b", "c", "a", "b", "c"]})
        >>> r = t.regroup("group", {"b": "rest", "c": "rest"})
        >>> r.key_values("group"), r.vector("age", "n", group="rest").tolist()
        (['a', 'rest'], [2.0, 2.0, 0.0])
        """
        if key not in self.keys:
            raise InvalidParameterError(f"key must be one of {list(self.keys)}; got {key!r}")
        new_frame = self.key_frame.copy()
        new_frame[key] = new_frame[key].map(lambda v: mapping.get(v, v)).astype(object)
        before, after = _kinds(self.key_frame[key]), _kinds(new_frame[key])
        if len(after) > 1 and after != before:
            raise InvalidParameterError(
                f"regroup would mix value types in key {key!r} "
                f"({_show_values(new_frame[key])}): map every value to the same type"
            )
        cols = list(self.keys)
        if len(cols) == 1:
            codes, _ = pd.factorize(new_frame[cols[0]])
        else:
            codes, _ = pd.factorize(pd.MultiIndex.from_frame(new_frame[cols]))
        n_new = int(codes.max()) + 1 if len(codes) else 0
        first = np.array([np.flatnonzero(codes == c)[0] for c in range(n_new)], dtype=np.int64)
        key_frame = new_frame.iloc[first].reset_index(drop=True)
        arrays = {f: _kahan_merge(a, codes, n_new) for f, a in self.arrays.items()}
        return CountTable._sorted(self.keys, key_frame, self.labels, arrays, self.weight_scale)

    @classmethod
    def stack(
        cls,
        tables: Mapping[Any, CountTable],
        key: str = "sample",
        *,
        where: Mapping[Any, Mapping[str, Any]] | None = None,
        features: Sequence[str] | None = None,
    ) -> CountTable:
        """One table keyed by ``key`` whose values name the given tables.

        Each table contributes its counts where its own keys equal ``where[name]`` (keys not
        named are summed over), so a baseline keyed by class and a daily table keyed by date
        compare directly (the PSI of :func:`infodiv.psi_from_counts`).

        Parameters
        ----------
        tables : dict of value -> CountTable
            The tables, keyed by the value each takes in the new key (e.g.
            ``{"expected": baseline, "actual": today}``). The same table may appear twice.
        key : str, default "sample"
            Name of the new key.
        where : dict of value -> dict, optional
            Per table, the ``key=value`` restriction passed to :meth:`stats` (none when a
            table is not named or maps to ``None``).
        features : sequence of str, optional
            Features to keep; every table must have them, with the same bins. Defaults to the
            features of the first table.

        Returns
        -------
        CountTable
            Keyed by ``key`` alone; bin labels of the first table.

        Raises
        ------
        ValueError
            No tables, a feature missing from a table or binned differently, an unknown key in
            ``where``.

        Examples
        --------
        >>> import pandas as pd
        >>> from infodiv.core import FeatureBins
        >>> bins = {"x": FeatureBins("x", edges=(0.0,))}
        >>> t = CountTable.from_frame(pd.DataFrame({"x": [-1.0, 1.0, 2.0, -3.0]}), bins,
        ...                           by={"month": [1, 1, 2, 2]})
        >>> s = CountTable.stack({"expected": t, "actual": t},
        ...                      where={"expected": {"month": 1}, "actual": {"month": 2}})
        >>> s.keys, s.vector("x", "n", sample="actual").tolist()
        (('sample',), [1.0, 1.0, 0.0])
        """
        if not tables:
            raise InvalidParameterError("tables is empty: give at least one CountTable")
        names = list(tables)
        for nm, t in tables.items():
            if not isinstance(t, CountTable):
                raise InvalidParameterError(
                    f"tables[{nm!r}] must be a CountTable; got {type(t).__name__}"
                )
        where = dict(where or {})
        unknown = [w for w in where if w not in tables]
        if unknown:
            raise InvalidParameterError(f"where names {unknown}, which are not in tables {names}")
        first = tables[names[0]]
        if len(_kinds(names)) > 1:
            raise InvalidParameterError(
                f"tables are named by values of different types ({_show_values(names)}): the "
                f"new key {key!r} needs one type"
            )
        for nm in names[1:]:
            first._check_mergeable(tables[nm], "stack", keys=first.keys == tables[nm].keys)
        feats = list(features) if features is not None else first.features
        # key values in sorted order, as CountTable keeps them (mixed types: the given order)
        try:
            order = sorted(names)
        except TypeError:
            order = names
        arrays, out_labels = {}, {}
        for f in feats:
            for nm, t in tables.items():
                if f not in t.labels:
                    raise InvalidParameterError(f"feature {f!r} is not in the {nm} count table")
            # a table whose rows held categories in no bin has one more bin, labelled
            # "unseen": the others have zero rows there
            longest = list(first.labels[f])
            for nm in names[1:]:
                merged = _with_unseen(longest, tables[nm].labels[f])
                if merged is None:
                    raise InvalidParameterError(
                        f"feature {f!r} has different bins in the {names[0]} and {nm} tables: "
                        f"{first.labels[f]} vs {tables[nm].labels[f]}"
                    )
                longest = merged
            parts = []
            for nm in order:
                st = tables[nm].stats(f, **dict(where.get(nm) or {}))
                if len(st) < len(longest):
                    st = np.vstack([st, np.zeros((1, st.shape[1]))])
                parts.append(st)
            arrays[f] = np.stack(parts, axis=1)
            out_labels[f] = list(longest)
        key_frame = pd.DataFrame({key: np.asarray(order, dtype=object)})
        return cls._from_arrays([key], key_frame, out_labels, arrays, first.weight_scale)

    def cell_arrays(
        self,
        levels: Mapping[str, Sequence[Any]] | None = None,
        stats: Sequence[str] = STATS,
    ) -> dict[str, np.ndarray]:
        """Per feature, read-only arrays ``[bin, level of each key..., stat]``.

        A reshaping of the table (no statistic is computed), so that many divergences become a
        few array sums each instead of :meth:`select` calls.

        Parameters
        ----------
        levels : dict of key -> sequence, optional
            The keys that become axes, in this order, and the values along each axis (a
            value absent from the table gives zeros). Keys of the table not named are summed
            over. Defaults to every key with its values in the table's order.
        stats : sequence of str, default ("n", "sum_w", "sum_w2")
            The statistics along the last axis.

        Returns
        -------
        dict of str -> ndarray
            Shape ``(n_bins, len(levels[k1]), len(levels[k2]), ..., len(stats))``; the arrays
            are new and not writeable (the table is not changed through them).

        Raises
        ------
        ValueError
            An unknown key or statistic, or a key row whose value is not in ``levels``.

        Examples
        --------
        >>> import pandas as pd
        >>> from infodiv.core import FeatureBins
        >>> X = pd.DataFrame({"age": [22, 35, 51, 64, 30, 45]})
        >>> t = CountTable.from_frame(X, {"age": FeatureBins("age", edges=(40.0,))},
        ...     by={"class": [1, 0, 0, 0, 1, 1], "group": ["a", "a", "b", "b", "a", "b"]})
        >>> arr = t.cell_arrays({"group": ["a", "b"], "class": [0, 1]}, stats=("n",))["age"]
        >>> arr.shape, arr[0, 0, :, 0].tolist()
        ((3, 2, 2, 1), [1.0, 2.0])
        """
        if levels is None:
            levels = {k: pd.unique(self.key_frame[k]).tolist() for k in self.keys}
        for k in levels:
            if k not in self.keys:
                raise InvalidParameterError(f"key must be one of {list(self.keys)}; got {k!r}")
        bad = [st for st in stats if st not in STATS]
        if bad:
            raise InvalidParameterError(f"stats must be among {STATS}; got {bad}")
        sidx = [STATS.index(st) for st in stats]
        pos = []
        for k, vals in levels.items():
            vals = list(vals)
            at = {v: i for i, v in enumerate(vals)}
            idx = self.key_frame[k].map(lambda v, at=at: at.get(v, -1)).to_numpy(dtype=np.int64)
            if (idx < 0).any():
                outside = sorted(map(str, pd.unique(self.key_frame.loc[idx < 0, k])))
                raise InvalidParameterError(
                    f"the count table has values of {k!r} outside the given levels: {outside}"
                )
            pos.append(idx)
        shape = tuple(len(v) for v in levels.values())
        out = {}
        for f, a in self.arrays.items():
            src = a[:, :, sidx].transpose(1, 0, 2)  # [key row, bin, stat]
            # sequential additions in key-row order (np.add.at is unbuffered); no level: one
            # leading axis of length 1 that sums every key row, dropped below
            index = tuple(pos) if pos else (np.zeros(len(src), dtype=np.int64),)
            acc = np.zeros((*(shape or (1,)), a.shape[0], len(sidx)))
            np.add.at(acc, index, src)
            if not pos:
                acc = acc[0]
            arr = np.moveaxis(acc, -2, 0)
            arr.flags.writeable = False
            out[f] = arr
        return out

    def stats(self, feature: str, **where: Any) -> np.ndarray:
        """Array (K, 3) of ``n``, ``sum_w``, ``sum_w2`` per bin where each key equals a value.

        Parameters
        ----------
        feature : str
            A feature of the table.
        **where
            ``key=value`` restrictions; keys not named are summed over.

        Returns
        -------
        ndarray of shape (n_bins, 3)
            One row per bin (zeros when empty).
        """
        if feature not in self.arrays:
            raise InvalidParameterError(f"feature {feature!r} is not in the count table")
        return self.arrays[feature][:, self._mask(where), :].sum(axis=1)

    def select(self, feature: str, **where: Any) -> pd.DataFrame:
        """Per-bin ``n``, ``sum_w``, ``sum_w2`` of ``feature`` where each key equals a value.

        Keys not named are summed over. Every bin appears (zero when empty).

        Parameters
        ----------
        feature : str
            A feature of the table.
        **where
            ``key=value`` restrictions.

        Returns
        -------
        DataFrame
            Indexed by bin code; columns ``label``, ``n``, ``sum_w``, ``sum_w2``.
        """
        st = self.stats(feature, **where)
        out = pd.DataFrame(st, columns=list(STATS))
        out.index.name = "bin"
        out.insert(0, "label", self.labels[feature])
        return out

    def vector(self, feature: str, stat: str = "sum_w", **where: Any) -> np.ndarray:
        """One statistic per bin as a float vector (see :meth:`select`).

        Parameters
        ----------
        feature : str
            A feature of the table.
        stat : {"n", "sum_w", "sum_w2"}, default "sum_w"
            The statistic.
        **where
            ``key=value`` restrictions; keys not named are summed over.

        Returns
        -------
        ndarray of shape (n_bins,)
            The statistic ``stat`` of each bin of ``feature`` (as float), summed over the keys
            that ``where`` does not fix.
        """
        if stat not in STATS:
            raise InvalidParameterError(f"stat must be one of {STATS}; got {stat!r}")
        return self.stats(feature, **where)[:, STATS.index(stat)]

    def divergence(
        self,
        feature: str,
        key: str,
        a: Any,
        b: Any,
        kind: str = "jeffreys",
        *,
        weights: Literal["sampling", "frequency"] = "sampling",
        name: str | None = None,
        **kwargs: Any,
    ) -> DivergenceResult:
        """The divergence of ``feature``'s distribution where ``key == a`` from ``key == b``.

        ``D(p || q)`` by the one engine, ``p`` where ``key == a`` and ``q`` where ``key == b``.

        IV is ``divergence(f, "class", 1, 0, "jeffreys")``; PSI is the same between two periods;
        the fairness IV the same between two protected groups.

        ``weights="sampling"`` uses Kish effective sizes; ``"frequency"`` treats the weighted
        sums as counts of identical rows.

        Parameters
        ----------
        feature : str
            A feature of the table.
        key : str
            The key whose two values are compared.
        a, b : value
            The values of ``key`` giving ``p`` (first) and ``q`` (second).
        kind : str, Generator or callable, default "jeffreys"
            The divergence (see :func:`infodiv.core.divergence`).
        weights : {"sampling", "frequency"}, default "sampling"
            How ``sum_w`` and ``sum_w2`` are read.
        name : str, optional
            Name of the result (the feature by default).
        **kwargs
            Passed to :func:`infodiv.core.divergence` (``alpha``, ``zero_cells``...).

        Returns
        -------
        DivergenceResult
            The divergence of ``feature``'s bin distribution where ``key == a`` (``p``) from
            that where ``key == b`` (``q``), with its standard error, interval and test.
        """
        validate_params(
            {"key": key, "kind": kind, "weights": weights, "name": name},
            {
                "key": [str],
                "kind": _KIND_CONSTRAINT,
                "weights": [StrOptions({"sampling", "frequency"})],
                "name": [str, None],
            },
            caller="CountTable.divergence",
        )
        if key not in self.keys:
            raise InvalidParameterError(f"key must be one of {list(self.keys)}; got {key!r}")
        sa = self.stats(feature, **{key: a})
        sb = self.stats(feature, **{key: b})
        for v, st in ((a, sa), (b, sb)):
            if st[:, 0].sum() == 0:
                raise InvalidParameterError(f"{key} == {v!r} has no rows for feature {feature!r}")
            if not np.isfinite(st[:, 1:]).all():
                raise InvalidParameterError(
                    f"the weights of {key} == {v!r} for feature {feature!r} sum (or their "
                    "squares sum) beyond the float range; divide sample_weight by a constant "
                    "(every divergence and SE is unchanged by a common factor)"
                )
        kish = weights == "sampling"
        return divergence(
            sa[:, 1],
            sb[:, 1],
            kind,
            p_sumsq=sa[:, 2].sum() if kish else None,
            q_sumsq=sb[:, 2].sum() if kish else None,
            labels=self.labels[feature],
            name=name or feature,
            **kwargs,
        )

    @one_warning_per_call
    def divergence_summary(
        self,
        key: str,
        a: Any,
        b: Any,
        kind: str = "jeffreys",
        *,
        features: Sequence[str] | None = None,
        value_name: str = "divergence",
        alpha: float = 0.05,
        weights: Literal["sampling", "frequency"] = "sampling",
        **kwargs: Any,
    ) -> tuple[pd.DataFrame, dict[str, DivergenceResult]]:
        """:meth:`divergence` for every feature: one row each, sorted by the estimate.

        The rows are the results' :meth:`DivergenceResult.to_row`, stacked by
        :func:`infodiv.core.summarize`.

        Parameters
        ----------
        key : str
            The key whose two values are compared (as in :meth:`divergence`).
        a, b : value
            The values of ``key`` giving ``p`` (first) and ``q`` (second).
        kind : str, Generator or callable, default "jeffreys"
            The divergence (see :func:`infodiv.core.divergence`).
        features : sequence of str, optional
            Features to compare; every feature of the table by default.
        value_name : str, default "divergence"
            Name of the estimate's column (``"iv"``, ``"psi"``...).
        alpha : float, default 0.05
            Level of the intervals.
        weights : {"sampling", "frequency"}, default "sampling"
            How ``sum_w`` and ``sum_w2`` are read (as in :meth:`divergence`).
        **kwargs
            Passed to :func:`infodiv.core.divergence`.

        Returns
        -------
        table : DataFrame
            Indexed by feature, sorted by the estimate (descending); columns ``value_name``,
            ``se``, ``ci_low``, ``ci_high``, ``statistic``, ``df``, ``pvalue`` (the contract's,
            first), then ``ci_method``, ``bias_corrected``, ``n_bins``, ``smoothed_cells``,
            and ``ci_note`` where some interval does not contain its estimate.
        results : dict of str -> DivergenceResult
            The results keyed by feature.
        """
        validate_params(
            {"features": features, "value_name": value_name, "alpha": alpha},
            {
                "features": ["array-like", None],
                "value_name": [str],
                "alpha": [Interval(numbers.Real, 0, 1, closed="neither")],
            },
            caller="CountTable.divergence_summary",
        )
        results = {
            f: self.divergence(f, key, a, b, kind, weights=weights, alpha=alpha, **kwargs)
            for f in (features if features is not None else self.features)
        }
        out = summarize(results, index_name="feature", sort_by="estimate")
        out = out[[c for c in _SUMMARY_ROW if c in out.columns]]
        if "ci_note" in out.columns:  # only where some interval excludes its estimate
            out["ci_note"] = out["ci_note"].fillna("")
        return out.rename(columns={"estimate": value_name}), results

    def to_frame(self) -> pd.DataFrame:
        """The long table (a copy)."""
        return self.frame.copy()

    def __repr__(self) -> str:
        return (
            f"CountTable({len(self.labels)} features, keys {list(self.keys)}, "
            f"{len(self.key_frame)} key values)"
        )
