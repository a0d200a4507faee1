"""People: sign-in and sessions, accounts, units and role grants."""
