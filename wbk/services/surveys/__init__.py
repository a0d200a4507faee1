"""Surveys a unit runs: results, the counter kiosk, provenance and preferences."""
