"""pagesplit: OCR'd newspaper pages in, clean articles out."""

__version__ = "0.1.0"
