"""Judges of responses: the lexical, relevance and in-context safety judges (`response`) and the registry that votes with them on both objectives (`bundle`)."""
