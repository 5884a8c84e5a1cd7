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
from infodiv.bins import UNSEEN, FeatureBins
from infodiv.divergence import DivergenceResult, divergence

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
    >>> from infodiv.bins import FeatureBins
    >>> X = pd.DataFrame({"age": [22, 35, 51, 64, 30, 45]})
    >>> t = CountTable.from_frame(X, {"age": FeatureBins("age", edges=(40.0,))},
    ...                           by={"class": [1, 0, 0, 0, 1, 1]})
    >>> t.vector("age", "n", **{"class": 1}).tolist()
    [2.0, 1.0, 0.0]
    >>> (t + t).vector("age", "n", **{"class": 1}).tolist()
    [4.0, 2.0, 0.0]
    """

    def __init__(self, frame: pd.DataFrame, keys: Sequence[str], labels: Mapping[str, Sequence[str]]):
        self.keys = tuple(keys)
        self.labels = {f: list(v) for f, v in labels.items()}
        cols = ["feature", "bin", "label", *self.keys, *STATS]
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"frame lacks columns {missing}")
        self.frame = frame[cols].reset_index(drop=True)

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
                raise ValueError(f"key {k!r} has missing values ({int(by_df[k].isna().sum())} rows)")
        w = check_sample_weight(sample_weight, n)
        w2 = w * w
        if by_df.shape[1] == 1:
            g, uniq = pd.factorize(by_df.iloc[:, 0], sort=True)
            key_frame = pd.DataFrame({by_df.columns[0]: np.asarray(uniq)})
        else:
            mi = pd.MultiIndex.from_frame(by_df)
            g, uniq = pd.factorize(mi, sort=True)
            key_frame = pd.DataFrame(list(uniq), columns=list(by_df.columns))
        G = len(key_frame)
        parts = []
        for f, c in codes.items():
            c = np.asarray(c)
            K = len(labels[f])
            if c.size and (c.min() < 0 or c.max() >= K):
                bad = c[(c < 0) | (c >= K)]
                what = "unseen categories" if (bad == UNSEEN).any() else f"codes {np.unique(bad)[:5]}"
                raise ValueError(f"column {f!r} has {bad.size} rows with {what} outside its bins")
            idx = c.astype(np.int64) * G + g
            m = K * G
            part = key_frame.loc[np.tile(np.arange(G), K)].reset_index(drop=True)
            part.insert(0, "label", np.repeat(np.asarray(labels[f], dtype=object), G))
            part.insert(0, "bin", np.repeat(np.arange(K), G))
            part.insert(0, "feature", f)
            part["n"] = np.bincount(idx, minlength=m).astype(float)
            part["sum_w"] = np.bincount(idx, weights=w, minlength=m)
            part["sum_w2"] = np.bincount(idx, weights=w2, minlength=m)
            parts.append(part)
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        return cls(frame, list(by_df.columns), labels)

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
        both = pd.concat([self.frame, other.frame], ignore_index=True)
        by = ["feature", "bin", "label", *self.keys]
        merged = both.groupby(by, sort=True, dropna=False)[list(STATS)].sum().reset_index()
        return CountTable(merged, self.keys, {**self.labels, **other.labels})

    def __radd__(self, other: Any) -> CountTable:
        if other == 0:  # lets sum(tables) work
            return self
        return NotImplemented

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CountTable):
            return NotImplemented
        return self.keys == other.keys and self.labels == other.labels and self.canonical().equals(
            other.canonical()
        )

    __hash__ = None  # type: ignore[assignment]

    def canonical(self) -> pd.DataFrame:
        """The table sorted by feature, bin and keys, rows of zero count removed."""
        f = self.frame[self.frame["n"] > 0]
        return f.sort_values(["feature", "bin", *self.keys]).reset_index(drop=True)

    # ------------------------------------------------------------------ access
    @property
    def features(self) -> list[str]:
        return list(self.labels)

    def key_values(self, key: str) -> list[Any]:
        """Distinct values of one key present in the table."""
        if key not in self.keys:
            raise ValueError(f"key must be one of {list(self.keys)}; got {key!r}")
        return sorted(self.frame.loc[self.frame["n"] > 0, key].unique().tolist())

    def select(self, feature: str, **where: Any) -> pd.DataFrame:
        """Per-bin ``n``, ``sum_w``, ``sum_w2`` of ``feature`` where each key equals a value.

        Keys not named are summed over. Every bin appears (zero when empty).
        """
        if feature not in self.labels:
            raise ValueError(f"feature {feature!r} is not in the count table")
        fr = self.frame
        rows = fr["feature"].to_numpy() == feature
        for k, v in where.items():
            if k not in self.keys:
                raise ValueError(f"key must be one of {list(self.keys)}; got {k!r}")
            rows &= fr[k].to_numpy() == v
        # numpy sums (not a pandas groupby): this runs once per feature and class
        K = len(self.labels[feature])
        b = fr["bin"].to_numpy()[rows].astype(np.int64)
        data: dict[str, Any] = {"label": list(self.labels[feature])}
        for stat in STATS:
            w = fr[stat].to_numpy(dtype=float)[rows]
            data[stat] = np.bincount(b, weights=w, minlength=K)[:K]
        return pd.DataFrame(data, index=pd.Index(np.arange(K), name="bin"))

    def vector(self, feature: str, stat: str = "sum_w", **where: Any) -> np.ndarray:
        """One statistic per bin as a float vector (see :meth:`select`)."""
        if stat not in STATS:
            raise ValueError(f"stat must be one of {STATS}; got {stat!r}")
        return self.select(feature, **where)[stat].to_numpy(dtype=float)

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
        sa = self.select(feature, **{key: a})
        sb = self.select(feature, **{key: b})
        for v, s in ((a, sa), (b, sb)):
            if s["n"].sum() == 0:
                raise ValueError(f"{key} == {v!r} has no rows for feature {feature!r}")
        kish = weights == "sampling"
        return divergence(
            sa["sum_w"].to_numpy(),
            sb["sum_w"].to_numpy(),
            kind,
            p_sumsq=sa["sum_w2"].sum() if kish else None,
            q_sumsq=sb["sum_w2"].sum() if kish else None,
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
            f"{int(self.frame['n'].sum() / max(len(self.labels), 1))} rows counted)"
        )
