"""Count tables and bin edges where the data lives: pandas, Polars, DuckDB, Spark and Dask."""

from infodiv.scale._count_table import count_table
from infodiv.scale._edges import (
    approx_quantile_edges,
    coarse_bins,
    fit_bins_at_scale,
    merge_bins,
    sample_rows,
)
from infodiv.scale._frames import engine_name, to_lazy

__all__ = [
    "approx_quantile_edges",
    "coarse_bins",
    "count_table",
    "engine_name",
    "fit_bins_at_scale",
    "merge_bins",
    "sample_rows",
    "to_lazy",
]
