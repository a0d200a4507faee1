"""Persistence: SQLAlchemy tables, the Database (unit of work) and Alembic migrations."""
