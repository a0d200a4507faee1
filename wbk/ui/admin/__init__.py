"""The Admin page's parts: letterhead and people."""
