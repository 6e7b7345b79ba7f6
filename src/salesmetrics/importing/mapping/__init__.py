"""Mapping: from a file's own columns and values to the canonical ones. A CRM vendor (``crm/``), a
mapping file (``file``) and a canonical file are the same :class:`~.model.Mapping`; ``propose``
drafts one for an export nobody has described yet."""
