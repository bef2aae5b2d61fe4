"""`python -m backend keys|users|audit`: the tools a backend machine's operator runs."""
