"""The count table: per feature, bin and key (class, period, group): n, sum w and sum w^2.

Every WoE, IV, PSI and fairness divergence infodiv reports, standard errors included, is a
function of this table. Tables computed on partitions of the data merge by addition
(``table_a + table_b``), so they can be built chunk by chunk or on a cluster.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from infodiv._validation import check_same_length, check_sample_weight
from infodiv.core._bins import UNSEEN, FeatureBins
from infodiv.core._divergence import DivergenceResult, divergence

__all__ = ["CountTable"]

STATS = ("n", "sum_w", "sum_w2")


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
            raise ValueError(f"frame lacks columns {missing}")
        if not keys:
            raise ValueError("keys must name at least one key column (e.g. ['class'])")
        for k in keys:
            if frame[k].isna().any():
                raise ValueError(f"key {k!r} has missing values")
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
                raise ValueError(f"frame has bin codes outside 0..{len(lab) - 1} for {f!r}")
            np.add.at(arr, (b, g[rows]), frame.loc[rows, list(STATS)].to_numpy(dtype=float))
            arrays[f] = arr
        self._set(keys, key_frame, labels, arrays)

    def _set(self, keys, key_frame, labels, arrays) -> None:
        self.keys = tuple(keys)
        self.key_frame = key_frame.reset_index(drop=True)
        self.labels = {f: list(v) for f, v in labels.items()}
        self.arrays = arrays
        self._frame: pd.DataFrame | None = None

    @classmethod
    def _from_arrays(cls, keys, key_frame, labels, arrays) -> CountTable:
        obj = cls.__new__(cls)
        obj._set(keys, key_frame, labels, arrays)
        return obj

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_codes(
        cls,
        codes: Mapping[str, np.ndarray],
        labels: Mapping[str, Sequence[str]],
        by: Mapping[str, Any] | pd.DataFrame,
        sample_weight: Any = None,
    ) -> CountTable:
        """Count integer bin codes (``codes[feature]``, values in ``0..K-1``) by key values."""
        by_df = pd.DataFrame(by) if not isinstance(by, pd.DataFrame) else by
        if by_df.shape[1] == 0:
            raise ValueError("by must name at least one key (e.g. {'class': y})")
        n = len(by_df)
        for f, c in codes.items():
            check_same_length({f"codes[{f!r}]": c, "by": by_df})
        for k in by_df.columns:
            if by_df[k].isna().any():
                raise ValueError(
                    f"key {k!r} has missing values ({int(by_df[k].isna().sum())} rows)"
                )
        w = check_sample_weight(sample_weight, n)
        w2 = w * w
        if by_df.shape[1] == 1:
            g, uniq = pd.factorize(by_df.iloc[:, 0], sort=True)
            key_frame = pd.DataFrame({by_df.columns[0]: np.asarray(uniq, dtype=object)})
        else:
            g, uniq = pd.factorize(pd.MultiIndex.from_frame(by_df), sort=True)
            key_frame = pd.DataFrame(list(uniq), columns=list(by_df.columns), dtype=object)
        G = len(key_frame)
        arrays = {}
        for f, c in codes.items():
            c = np.asarray(c)
            K = len(labels[f])
            if c.size and (c.min() < 0 or c.max() >= K):
                bad = c[(c < 0) | (c >= K)]
                what = (
                    "unseen categories" if (bad == UNSEEN).any() else f"codes {np.unique(bad)[:5]}"
                )
                raise ValueError(f"column {f!r} has {bad.size} rows with {what} outside its bins")
            idx = c.astype(np.int64) * G + g
            m = K * G
            arrays[f] = np.stack(
                [
                    np.bincount(idx, minlength=m).astype(float),
                    np.bincount(idx, weights=w, minlength=m),
                    np.bincount(idx, weights=w2, minlength=m),
                ],
                axis=-1,
            ).reshape(K, G, 3)
        return cls._from_arrays(
            list(by_df.columns), key_frame, {f: labels[f] for f in codes}, arrays
        )

    @classmethod
    def from_frame(
        cls,
        X: pd.DataFrame,
        bins: Mapping[str, FeatureBins],
        by: Mapping[str, Any] | pd.DataFrame,
        sample_weight: Any = None,
    ) -> CountTable:
        """Bin every column of ``X`` named in ``bins`` and count by the key columns ``by``."""
        codes = {f: b.codes(X[f]) for f, b in bins.items()}
        labels = {f: b.labels for f, b in bins.items()}
        return cls.from_codes(codes, labels, by, sample_weight)

    # ------------------------------------------------------------------ algebra
    def __add__(self, other: CountTable) -> CountTable:
        if not isinstance(other, CountTable):
            return NotImplemented
        if self.keys != other.keys:
            raise ValueError(f"cannot merge count tables with keys {self.keys} and {other.keys}")
        for f in set(self.labels) & set(other.labels):
            if self.labels[f] != other.labels[f]:
                raise ValueError(f"cannot merge count tables: feature {f!r} has different bins")
        cols = list(self.keys)
        both = pd.concat([self.key_frame, other.key_frame], ignore_index=True).astype(object)
        keys_all = both.drop_duplicates().reset_index(drop=True)
        try:
            keys_all = keys_all.sort_values(cols, kind="stable").reset_index(drop=True)
        except TypeError:  # mixed types that do not order: keep first-seen order
            pass
        pos = {tuple(r): i for i, r in enumerate(keys_all.itertuples(index=False, name=None))}
        G = len(keys_all)

        def expand(t: CountTable, f: str) -> np.ndarray:
            out = np.zeros((len(t.labels[f]), G, 3))
            if f in t.arrays:
                idx = [pos[tuple(r)] for r in t.key_frame.itertuples(index=False, name=None)]
                out[:, idx, :] = t.arrays[f]
            return out

        labels = {**self.labels, **other.labels}
        arrays = {}
        for f in labels:
            a = expand(self, f) if f in self.labels else 0.0
            b = expand(other, f) if f in other.labels else 0.0
            arrays[f] = a + b
        return CountTable._from_arrays(self.keys, keys_all, labels, arrays)

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
        return list(self.labels)

    def key_values(self, key: str) -> list[Any]:
        """Distinct values of one key present in the table."""
        if key not in self.keys:
            raise ValueError(f"key must be one of {list(self.keys)}; got {key!r}")
        used = np.zeros(len(self.key_frame), dtype=bool)
        for arr in self.arrays.values():
            used |= arr[:, :, 0].sum(axis=0) > 0
        return sorted(pd.unique(self.key_frame.loc[used, key]).tolist())

    def _mask(self, where: Mapping[str, Any]) -> np.ndarray:
        mask = np.ones(len(self.key_frame), dtype=bool)
        for k, v in where.items():
            if k not in self.keys:
                raise ValueError(f"key must be one of {list(self.keys)}; got {k!r}")
            mask &= (self.key_frame[k] == v).to_numpy()
        return mask

    def stats(self, feature: str, **where: Any) -> np.ndarray:
        """Array (K, 3) of ``n``, ``sum_w``, ``sum_w2`` per bin where each key equals a value."""
        if feature not in self.arrays:
            raise ValueError(f"feature {feature!r} is not in the count table")
        return self.arrays[feature][:, self._mask(where), :].sum(axis=1)

    def select(self, feature: str, **where: Any) -> pd.DataFrame:
        """Per-bin ``n``, ``sum_w``, ``sum_w2`` of ``feature`` where each key equals a value.

        Keys not named are summed over. Every bin appears (zero when empty).
        """
        st = self.stats(feature, **where)
        out = pd.DataFrame(st, columns=list(STATS))
        out.index.name = "bin"
        out.insert(0, "label", self.labels[feature])
        return out

    def vector(self, feature: str, stat: str = "sum_w", **where: Any) -> np.ndarray:
        """One statistic per bin as a float vector (see :meth:`select`)."""
        if stat not in STATS:
            raise ValueError(f"stat must be one of {STATS}; got {stat!r}")
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
        """``D(feature's distribution where key == a || where key == b)`` by the one engine.

        IV is ``divergence(f, "class", 1, 0, "jeffreys")``; PSI is the same between two periods;
        the fairness IV the same between two protected groups.

        ``weights="sampling"`` uses Kish effective sizes; ``"frequency"`` treats the weighted
        sums as counts of identical rows.
        """
        if weights not in ("sampling", "frequency"):
            raise ValueError(f"weights must be 'sampling' or 'frequency'; got {weights!r}")
        sa = self.stats(feature, **{key: a})
        sb = self.stats(feature, **{key: b})
        for v, st in ((a, sa), (b, sb)):
            if st[:, 0].sum() == 0:
                raise ValueError(f"{key} == {v!r} has no rows for feature {feature!r}")
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

        Columns: ``value_name``, ``se``, ``ci_low``, ``ci_high``, ``ci_method``,
        ``bias_corrected``, ``statistic``, ``df``, ``pvalue``, ``n_bins``, ``smoothed_cells``.
        Also returns the results keyed by feature.
        """
        results = {
            f: self.divergence(f, key, a, b, kind, weights=weights, alpha=alpha, **kwargs)
            for f in (features if features is not None else self.features)
        }
        rows = []
        for f, r in results.items():
            lo, hi = r.conf_int()
            rows.append(
                {
                    "feature": f,
                    value_name: r.estimate,
                    "se": r.se,
                    "ci_low": lo,
                    "ci_high": hi,
                    "ci_method": r._method_for(r.ci_method),
                    "bias_corrected": r.bias_corrected,
                    "statistic": r.statistic,
                    "df": r.df,
                    "pvalue": r.pvalue,
                    "n_bins": r.df + 1,
                    "smoothed_cells": len(r.smoothed_cells),
                }
            )
        out = pd.DataFrame(rows).set_index("feature")
        out = out.sort_values(value_name, ascending=False, kind="stable")
        return out, results

    def to_frame(self) -> pd.DataFrame:
        """The long table (a copy)."""
        return self.frame.copy()

    def __repr__(self) -> str:
        return (
            f"CountTable({len(self.labels)} features, keys {list(self.keys)}, "
            f"{len(self.key_frame)} key values)"
        )
