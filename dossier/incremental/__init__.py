"""The engine around the stages: the cache, the article store, page fingerprints, worker processes, staging."""
