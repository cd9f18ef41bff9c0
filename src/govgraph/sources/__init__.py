"""Readers: one per input kind. They know file formats, report errors with file and line, and return
records (govgraph.records); they know nothing of RDF."""
