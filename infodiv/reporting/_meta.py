"""Run metadata: what produced a report (versions, data file hashes, seed, command, date)."""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import platform
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["run_metadata", "sha256_file"]

#: The packages whose versions the report records.
KEY_PACKAGES = (
    "numpy",
    "scipy",
    "pandas",
    "scikit-learn",
    "xgboost",
    "statsmodels",
    "matplotlib",
)


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def sha256_file(path: str | Path) -> str:
    """The SHA-256 hex digest of a file, read in chunks.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    str
        64 hex digits.
    """
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def run_metadata(
    data_files: Mapping[str, str | Path | None] | None = None,
    *,
    seed: int | None = None,
    command_line: Sequence[str] | str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The metadata of a run, for the report's last section and the JSON.

    Parameters
    ----------
    data_files : mapping of str to path, optional
        The input files by role (``{"data": "loans.csv"}``): each is recorded with its size and
        SHA-256 digest (a ``None`` path is skipped).
    seed : int, optional
        The random seed of the run.
    command_line : sequence of str or str, optional
        The command line (default: ``sys.argv``).
    extra : mapping, optional
        More items (e.g. a note that a snapshot is synthetic).

    Returns
    -------
    dict
        ``infodiv_version``, ``python_version``, ``platform``, ``packages`` (name -> version),
        ``data_files`` (list of role, path, bytes, sha256), ``seed``, ``command_line``,
        ``created_utc`` (ISO 8601), and ``extra``'s items.
    """
    if command_line is None:
        command_line = ["infodiv" if i == 0 else a for i, a in enumerate(sys.argv)]
    if not isinstance(command_line, str):
        command_line = " ".join(str(a) for a in command_line)
    files = []
    for role, p in (data_files or {}).items():
        if p is None:
            continue
        path = Path(p)
        files.append(
            {
                "role": role,
                "path": str(p),
                "bytes": path.stat().st_size,
                "sha256": sha256_file(path),
            }
        )
    meta: dict[str, Any] = {
        "infodiv_version": _version("infodiv"),
        "python_version": platform.python_version(),
        "platform": platform.platform(terse=True),
        "packages": {name: _version(name) for name in KEY_PACKAGES},
        "data_files": files,
        "seed": seed,
        "command_line": command_line,
        "created_utc": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    meta.update(extra or {})
    return meta
