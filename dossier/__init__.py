"""Static site generator for a curated news dossier."""

__version__ = "0.1.0"
