"""Reading: files (CSV, Excel, Parquet, folders of them) into staging tables of text, with their
format (separator, decimal comma, date format, encoding) settled, and nothing interpreted yet."""
