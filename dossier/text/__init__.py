"""One article's text on its own: blocks, sentences, mentions, quotations, comparable sentences (pure)."""
