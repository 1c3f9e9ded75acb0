"""The Stata do-template library: typed metas, loading and validation, retrieval."""
