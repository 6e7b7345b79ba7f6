"""Checking: what makes a value or a record wrong (``values``, ``rules``), found for every row in
one pass of SQL (``validate``) and reported with file, line and column (``problems``)."""
