"""A Document's display text → the three tables: tokens, rows, cell values, glued digit runs."""
