"""File formats read and written at the edges (CSV answers and the like)."""
