"""Files: bins as JSON, count tables as Parquet.

Kept out of the core modules (:mod:`infodiv.core._bins`, :mod:`infodiv.core._counts`) so that they do no
I/O. Bins fitted on a sample are saved as JSON and applied on a cluster
(:func:`infodiv.scale.count_table`); a baseline count table is saved as Parquet and
compared with each day's table (:func:`infodiv.credit.psi_from_counts`).

Parquet needs ``pyarrow`` (``pip install infodiv[scale]``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from infodiv.core import CountTable, FeatureBins
from infodiv.exceptions import InvalidParameterError

__all__ = [
    "bins_from_json",
    "bins_to_json",
    "load_bins",
    "read_count_table",
    "save_bins",
    "write_count_table",
]

#: The format tag of bins JSON files: fixed at 0.1.0, not a module path (the module moved).
FORMAT = "infodiv.bins"
#: Versions of the bins format this release reads: 1, and 2 (adds ``time_dtype``: edges of
#: datetime or timedelta features in nanoseconds, applied to columns of any time unit).
_VERSIONS = (1, 2)
TABLE_META = b"infodiv.count_table"


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    raise InvalidParameterError(f"cannot write {type(v).__name__} value {v!r} to JSON")


def _as_list(bins: Mapping[str, FeatureBins] | Iterable[FeatureBins]) -> list[FeatureBins]:
    items = list(bins.values()) if isinstance(bins, Mapping) else list(bins)
    for b in items:
        if not isinstance(b, FeatureBins):
            raise InvalidParameterError(f"bins must hold FeatureBins; got {type(b).__name__}")
    return items


def bins_to_json(bins: Mapping[str, FeatureBins] | Iterable[FeatureBins], indent: int = 1) -> str:
    """JSON text of a set of bins (``FeatureBins.to_dict`` of each, in order).

    Examples
    --------
    >>> b = {"age": FeatureBins("age", edges=(25.0, 40.0), special_values=(-1,))}
    >>> bins_from_json(bins_to_json(b)) == b
    True
    """
    items = _as_list(bins)
    # version 2 adds "time_dtype" (edges of datetime / timedelta features, in ns); files
    # without it stay version 1, readable by every release
    version = 2 if any(b.time_dtype is not None for b in items) else 1
    doc = {"format": FORMAT, "version": version, "bins": [b.to_dict() for b in items]}
    return json.dumps(doc, indent=indent, default=_plain)


def bins_from_json(text: str) -> dict[str, FeatureBins]:
    """Bins keyed by feature from :func:`bins_to_json` text.

    Raises ``InvalidParameterError`` naming ``text``, the key (``bins``, ``feature``) or the
    feature and field (``edges``, ``categories``) at fault when the text is not such a file.
    """
    if not isinstance(text, str | bytes | bytearray):
        raise InvalidParameterError(
            f"text must be the JSON text of a bins file (str); got {type(text).__name__}"
        )
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InvalidParameterError(f"text is not JSON: {e}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidParameterError(
            f"text is not an infodiv bins file (format {FORMAT!r} expected)"
        )
    version = doc.get("version", 1)
    if version not in _VERSIONS:
        raise InvalidParameterError(
            f"bins file version {version!r} is newer than this release reads ({max(_VERSIONS)}); "
            "upgrade infodiv"
        )
    entries = doc.get("bins")
    if not isinstance(entries, list):
        what = "has no 'bins' list" if entries is None else f"has 'bins' = {entries!r:.40}"
        raise InvalidParameterError(
            f"text {what}: a bins file holds 'bins', a list of one object per feature"
        )
    out = {}
    for i, d in enumerate(entries):
        b = _entry_bins(d, i)
        out[b.feature] = b
    return out


def _entry_bins(d: Any, i: int) -> FeatureBins:
    """One entry of a bins file, or ``InvalidParameterError`` naming the feature and the key."""
    if not isinstance(d, dict):
        raise InvalidParameterError(
            f"text: bins[{i}] must be an object with 'feature' and 'edges' or 'categories'; "
            f"got {d!r:.40}"
        )
    feature = d.get("feature")
    if not isinstance(feature, str) or not feature:
        raise InvalidParameterError(
            f"text: bins[{i}] has no 'feature' name (got {feature!r:.40}); every entry names "
            "its feature"
        )
    where = f"bins of {feature!r} (bins[{i}])"
    edges, cats = d.get("edges"), d.get("categories")
    if edges is not None and not (
        isinstance(edges, list)
        and all(isinstance(e, int | float) and not isinstance(e, bool) for e in edges)
    ):
        raise InvalidParameterError(f"{where}: edges must be a list of numbers; got {edges!r:.60}")
    if cats is not None and not (isinstance(cats, list) and all(isinstance(g, list) for g in cats)):
        raise InvalidParameterError(
            f"{where}: categories must be a list of lists (one per group); got {cats!r:.60}"
        )
    special = d.get("special_values", [])
    if not isinstance(special, list):
        raise InvalidParameterError(f"{where}: special_values must be a list; got {special!r:.60}")
    try:
        return FeatureBins.from_dict(d)
    except InvalidParameterError:
        raise
    except (TypeError, ValueError) as exc:  # e.g. an unhashable category
        raise InvalidParameterError(f"{where}: {exc}") from None


def save_bins(
    bins: Mapping[str, FeatureBins] | Iterable[FeatureBins], path: str | os.PathLike
) -> None:
    """Write bins to a JSON file (see :func:`load_bins`)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(bins_to_json(bins))


def load_bins(path: str | os.PathLike) -> dict[str, FeatureBins]:
    """Bins keyed by feature from a file written by :func:`save_bins`."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    try:
        return bins_from_json(text)
    except InvalidParameterError as exc:
        raise InvalidParameterError(f"bins file {os.fspath(path)!r}: {exc}") from None


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("Parquet I/O needs pyarrow: pip install 'infodiv[scale]'") from None
    return pa, pq


def write_count_table(table: CountTable, path: str | os.PathLike) -> None:
    """Write a count table to one Parquet file; keys and bin labels go in its metadata.

    The file is a plain long table (``feature, bin, label, <keys>, n, sum_w, sum_w2``) that
    Spark, DuckDB or Polars can read too.
    """
    if not isinstance(table, CountTable):
        raise InvalidParameterError(f"table must be a CountTable; got {type(table).__name__}")
    pa, pq = _pyarrow()
    frame = table.to_frame()
    frame["label"] = frame["label"].astype(str)
    at = pa.Table.from_pandas(frame, preserve_index=False)
    meta = json.dumps({"version": 1, "keys": list(table.keys), "labels": table.labels})
    at = at.replace_schema_metadata({**(at.schema.metadata or {}), TABLE_META: meta.encode()})
    pq.write_table(at, path)


def read_count_table(path: str | os.PathLike) -> CountTable:
    """The count table in a file written by :func:`write_count_table`."""
    pa, pq = _pyarrow()
    at = pq.read_table(path)
    raw = (at.schema.metadata or {}).get(TABLE_META)
    if raw is None:
        raise InvalidParameterError(f"{os.fspath(path)!r} is not a count table written by infodiv")
    meta = json.loads(raw)
    frame = at.to_pandas()
    frame["label"] = np.asarray(frame["label"].tolist(), dtype=object)
    return CountTable(frame, meta["keys"], meta["labels"])
