"""The JSON Schemas of ``report.json`` and ``validation.json`` (package data)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from infodiv.exceptions import InvalidParameterError

__all__ = ["schema", "schema_path", "validate_json"]

KINDS = ("report", "validation")


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidParameterError(f"kind must be one of {KINDS}; got {kind!r}")
    return kind


def schema_path(kind: str = "report") -> Path:
    """Path of the JSON Schema file of ``report.json`` or ``validation.json``.

    Parameters
    ----------
    kind : {"report", "validation"}
        Which JSON.

    Returns
    -------
    Path
        ``infodiv/reporting/schemas/<kind>.schema.json``.
    """
    ref = resources.files("infodiv.reporting") / "schemas" / f"{_check_kind(kind)}.schema.json"
    return Path(str(ref))


def schema(kind: str = "report") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``report.json`` or ``validation.json``.

    Parameters
    ----------
    kind : {"report", "validation"}
        Which JSON.

    Returns
    -------
    dict
        The schema.
    """
    return dict(json.loads(schema_path(kind).read_text(encoding="utf-8")))


def validate_json(data: dict[str, Any], kind: str | None = None) -> None:
    """Raise unless ``data`` follows its schema and every value has its column's type.

    Needs the ``jsonschema`` package (in the ``dev`` extra). Beyond the schema, checks that
    every record value of every table has the type its column declares (``integer``,
    ``number``, ``string``, ``boolean``; null allowed), which JSON Schema cannot say.

    Parameters
    ----------
    data : dict
        The parsed JSON.
    kind : {"report", "validation"}, optional
        Which schema (default: ``data["kind"]``).
    """
    import jsonschema

    kind = _check_kind(kind or str(data.get("kind")))
    jsonschema.Draft202012Validator(
        schema(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)
    checks = {
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
    }
    tables = [("summary", data["summary"])] + [
        (f"{s}.{t}", tab) for s, sec in data["sections"].items() for t, tab in sec["tables"].items()
    ]
    for where, tab in tables:
        types = {c["name"]: c["type"] for c in tab["columns"]}
        for i, rec in enumerate(tab["records"]):
            if set(rec) != set(types):
                raise ValueError(
                    f"{where} record {i}: keys {sorted(rec)} != columns {sorted(types)}"
                )
            for k, v in rec.items():
                if v is not None and not checks[types[k]](v):
                    raise ValueError(f"{where} record {i} column {k!r}: {v!r} is not {types[k]}")
