"""SQL storage: typed models, repository functions (they never commit) and encryption."""
