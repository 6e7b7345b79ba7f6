"""Importing canonical records from CSV and Parquet files into a workspace.

Everything is checked first, then everything is written in one transaction, or nothing is.
"""

from __future__ import annotations

from .run import import_files, tables_for_paths
from .summary import ImportSummary, TableCounts

__all__ = ["ImportSummary", "TableCounts", "import_files", "tables_for_paths"]
