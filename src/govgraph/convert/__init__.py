"""Converters: records in, triples out. They know RDF and nothing of files."""
