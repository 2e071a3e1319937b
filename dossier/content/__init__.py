"""Content files: front matter, the schema of every key, loading, the typed model (no I/O in the model), slugs."""
