"""The portfolio page's tables, charts and widgets."""
