"""A Document → metadata (organ, year, format), sections, and whether it is a report at all."""
