"""Importing canonical records from CSV and Parquet files into a workspace: validate all, then write all."""

from __future__ import annotations

from .run import import_files, tables_for_paths
from .summary import ImportSummary, TableCounts

__all__ = ["ImportSummary", "TableCounts", "import_files", "tables_for_paths"]
