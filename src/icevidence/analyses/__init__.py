"""The analyses: each takes Studies and returns a result that owns its counts, mask, notes and caption."""
