"""Use cases: each checks permission, validates, writes and audits in one transaction."""
