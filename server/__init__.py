"""Reference one-stop backend (FastAPI + SQLAlchemy) implementing docs/API.md."""

__version__ = "0.1.0"
