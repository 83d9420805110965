"""Prefect flows for pagesplit. Thin: every step calls the library."""
