"""The portfolio: every unit's standing at once, ranked."""
