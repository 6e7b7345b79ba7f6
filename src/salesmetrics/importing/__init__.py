"""Importing records from CSV, Excel and Parquet files into a workspace: canonical files, CRM
exports and any other export described by a mapping file.

Three rooms, in the order a file goes through them: ``read/`` (files into staging tables of text),
``mapping/`` (their columns and values onto the canonical ones; CRM vendors in ``mapping/crm/``)
and ``check/`` (every problem, with file, line and column). ``run`` drives them, and ``write``
writes everything in one transaction, or nothing.
"""

from __future__ import annotations

from .counts import ImportSummary, Skipped, TableCounts
from .mapping.model import Mapping
from .read.formats import FormatError, FormatOptions
from .run import import_files, tables_for_paths

__all__ = ["FormatError", "FormatOptions", "ImportSummary", "Mapping", "Skipped", "TableCounts",
           "import_files", "tables_for_paths"]
