"""Bundled real credit datasets (see ``data/README.md`` for sources and licences).

Each loader verifies the file's SHA-256 checksum before parsing it, names the target column
``default`` (1 = bad: default or bad credit) and gives categorical columns a ``category`` dtype.
Nothing is downloaded: the files ship with infodiv.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from infodiv.exceptions import InvalidParameterError

__all__ = [
    "data_path",
    "load_taiwan_credit",
    "load_german_credit",
    "load_simucredit",
    "load_simucredit_v2",
    "load_lalonde",
]

SHA256 = {
    "uci_credit_card.csv.gz": "6ddac749ba766d4ed69b63ac642505601c434be2e3788748295d3240e98e9d65",
    "german_credit.csv.gz": "68f6f51a9b196694b61f79aee78505dd84e9c0c2e978ceed3e7997f3f48a8658",
    "simucredit.csv.gz": "52b5844bdfc9ec531dc9379c49eba11121acc987c3a12871568e1275f7bda653",
    "lalonde_nsw.csv.gz": "607fa510c600faed25f152689740319c786ddc03b670d8dccfcc292e952c13b0",
    "lalonde_nsw_cps.csv.gz": "e216430d03b2e1805c6dc5d3ca0286415fcb6322da1b80618853e98027e392f3",
    "simucredit_v2.csv.gz": "51e87b314c5ddea047071c338c2ca58057c688e30277f0e9facf6d254234dbf6",
}


def data_path(name: str) -> Path:
    """Path of a bundled data file, verified against its SHA-256 checksum."""
    if name not in SHA256:
        raise InvalidParameterError(f"name must be one of {sorted(SHA256)}; got {name!r}")
    here = Path(__file__).resolve().parent
    for folder in (here / "data", here.parent / "data"):
        path = folder / name
        if path.is_file():
            break
    else:
        raise FileNotFoundError(f"bundled data file {name!r} not found next to the package")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256[name]:
        raise OSError(f"checksum mismatch for {path}: expected {SHA256[name]}, got {digest}")
    return path


def load_taiwan_credit() -> pd.DataFrame:
    """UCI "Default of Credit Card Clients" (Taiwan, 2005): 30,000 rows, 23 features.

    Returns
    -------
    DataFrame
        Indexed by ``ID``. ``default`` = 1 if the client defaulted the next month (22.1%).
        ``SEX``, ``EDUCATION`` and ``MARRIAGE`` are categorical (integer codes, see
        ``data/README.md``); ``PAY_*`` are ordinal repayment statuses kept numeric.

    Examples
    --------
    >>> df = load_taiwan_credit()
    >>> df.shape, round(float(df["default"].mean()), 4)
    ((30000, 24), 0.2212)
    """
    df = pd.read_csv(data_path("uci_credit_card.csv.gz"))
    df = df.rename(columns={"target": "default"}).set_index("ID")
    for c in ("SEX", "EDUCATION", "MARRIAGE"):
        df[c] = df[c].astype("category")
    df["default"] = df["default"].astype(int)
    return df


def load_german_credit() -> pd.DataFrame:
    """Statlog German Credit: 1,000 applicants, 20 features, 300 bad.

    Returns
    -------
    DataFrame
        ``default`` = 1 for bad credit (from ``creditability``, which is dropped). Text
        columns are categorical.

    Examples
    --------
    >>> df = load_german_credit()
    >>> df.shape, int(df["default"].sum())
    ((1000, 21), 300)
    """
    df = pd.read_csv(data_path("german_credit.csv.gz"))
    df["default"] = (df.pop("creditability") == "bad").astype(int)
    for c in df.columns:
        if c != "default" and not pd.api.types.is_numeric_dtype(df[c]):
            df[c] = df[c].astype("category")
    return df


def load_simucredit() -> pd.DataFrame:
    """SimuCredit (PiML toolbox, Apache-2.0): 20,000 simulated credit applications.

    Seven numeric credit features, two protected attributes and the lending decision. In the
    simulation ``Mortgage`` is a strong proxy of ``Race`` (Spearman correlation 0.67) and
    ``Balance`` of ``Gender`` (0.48), which makes it a test bed for fairness measurement.

    Returns
    -------
    DataFrame
        ``default`` = 1 when the application was *not* approved (``Approved == 0`` in the
        source, 49.3%), so that 1 is the bad outcome as in the other loaders; ``Approved`` is
        dropped. ``Gender`` and ``Race`` are categorical with the source's 0/1 codes (the
        source does not document which group each code stands for).

    Examples
    --------
    >>> df = load_simucredit()
    >>> df.shape, int(df["default"].sum())
    ((20000, 10), 9858)
    >>> sorted(df["Race"].cat.categories.tolist())
    [0, 1]
    """
    df = pd.read_csv(data_path("simucredit.csv.gz"))
    df["default"] = 1 - df.pop("Approved").astype(int)
    for c in ("Gender", "Race"):
        df[c] = df[c].astype("category")
    return df


def load_lalonde(observational: bool = False) -> pd.DataFrame:
    """LaLonde (1986) NSW job-training data in the Dehejia & Wahba (1999) sample.

    Parameters
    ----------
    observational : bool
        ``False`` (default): the randomised NSW experiment, 185 treated and 260 controls.
        ``True``: the observational comparison of the 185 NSW treated with the 15,992 CPS-1
        controls (the experimental controls are left out).

    Returns
    -------
    DataFrame
        ``treat`` (1 = job training), covariates ``age``, ``educ``, ``black``, ``hisp``,
        ``marr``, ``nodegree``, ``re74``, ``re75`` (earnings in 1974 and 1975, US dollars) and
        the outcome ``re78`` (earnings in 1978, in [0, 60,307.93] in these files); ``sample`` is
        ``"NSW"`` or ``"CPS"``.

    Examples
    --------
    >>> df = load_lalonde()
    >>> df.shape, int(df["treat"].sum())
    ((445, 11), 185)
    >>> round(float(df.loc[df.treat == 1, "re78"].mean() - df.loc[df.treat == 0, "re78"].mean()), 1)
    1794.3
    >>> load_lalonde(observational=True)["sample"].value_counts().to_dict()
    {'CPS': 15992, 'NSW': 185}
    """
    name = "lalonde_nsw_cps.csv.gz" if observational else "lalonde_nsw.csv.gz"
    df = pd.read_csv(data_path(name))
    sample = df.pop("data_id").map({"Dehejia-Wahba Sample": "NSW", "CPS1": "CPS"})
    if sample.isna().any():
        raise OSError(f"unexpected data_id values in {name}")
    if observational:
        keep = (sample == "CPS") | (df["treat"] == 1)
        df, sample = df[keep], sample[keep]
    df.insert(0, "sample", sample.astype(str))
    df = df.reset_index(drop=True)
    for c in ("treat", "black", "hisp", "marr", "nodegree"):
        df[c] = df[c].astype(int)
    return df


def load_simucredit_v2() -> pd.DataFrame:
    """SimuCredit v2 (PiML toolbox, Apache-2.0): 20,000 simulated credit applicants.

    Returns
    -------
    DataFrame
        Seven credit features (``Mortgage``, ``Balance``, ``Amount Past Due``,
        ``Delinquency``, ``Inquiry``, ``Open Trade``, ``Utilization``), the protected attributes
        ``Gender`` and ``Race`` (0/1), and the binary label ``Status`` (mean 0.552), kept under
        its source name because the source does not document which outcome 1 codes; infodiv's
        examples model ``Status == 1`` as the event. This is simulated data of the kind used in
        the information-theoretic credit-risk paper's encoding comparison.

    Examples
    --------
    >>> df = load_simucredit_v2()
    >>> df.shape, int(df["Status"].sum())
    ((20000, 10), 11031)
    """
    return pd.read_csv(data_path("simucredit_v2.csv.gz"))
