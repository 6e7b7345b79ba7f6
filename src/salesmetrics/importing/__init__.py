"""Importing records from CSV, Excel and Parquet files into a workspace: canonical files, CRM
exports (``crm/``) and any other export described by a mapping file (``mappingfile``).

Everything is checked first, then everything is written in one transaction, or nothing is.
"""

from __future__ import annotations

from .formats import FormatError, FormatOptions
from .mapping import Mapping
from .run import import_files, tables_for_paths
from .summary import ImportSummary, Skipped, TableCounts

__all__ = ["FormatError", "FormatOptions", "ImportSummary", "Mapping", "Skipped", "TableCounts",
           "import_files", "tables_for_paths"]
