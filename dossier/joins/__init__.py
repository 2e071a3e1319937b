"""Across articles: shared passages, quotation groups, co-occurrence, annotation anchoring, timeline checks (pure)."""
