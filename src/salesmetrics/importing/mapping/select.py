"""Which mappings an import reads its files with: a vendor's (``source="hubspot"``), mapping files,
mapping objects, or none (canonical files)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..read.formats import FormatError
from .model import Mapping

MappingArg = str | os.PathLike[str] | Mapping
MappingsArg = MappingArg | Sequence[MappingArg] | None


def select_mappings(source: str | None, mapping: MappingsArg) -> tuple[list[Mapping] | None, str | None]:
    """The mappings, and the vendor's label for messages (``None`` for mapping files)."""
    from .crm import vendor
    from .file import load_mapping

    given: list[MappingArg]
    if mapping is None:
        given = []
    elif isinstance(mapping, str | os.PathLike | Mapping):
        given = [mapping]
    else:
        given = list(mapping)
    mappings = [m if isinstance(m, Mapping) else load_mapping(Path(m)) for m in given]
    if source is not None:
        if mappings:
            raise FormatError("use either --from or --mapping, not both: a mapping file describes "
                              "exports that --from does not know")
        found = vendor(source)
        return list(found.mappings), found.label
    return (mappings or None), None
