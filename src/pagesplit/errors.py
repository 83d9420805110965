"""Every error pagesplit raises, with a stable code and a hint that says what to do.

Codes are grouped: E1xx input, E2xx output, E3xx models, E4xx configuration/usage.
"""

from __future__ import annotations


class PagesplitError(Exception):
    """Base class. ``code`` is stable across releases; ``hint`` tells the user what to do."""

    code = "E000"

    def __init__(self, message: str, *, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"[{self.code}] {message}" + (f" — {hint}" if hint else ""))


class InputMissing(PagesplitError):
    code = "E101"


class ManifestError(PagesplitError):
    code = "E102"


class PageRejected(PagesplitError):
    """A single page that cannot be processed; recorded in ``rejects``, never fatal to a run."""

    code = "E103"

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


class OutputError(PagesplitError):
    code = "E201"


class OutputLocked(PagesplitError):
    code = "E202"


class ModelMissing(PagesplitError):
    code = "E301"


class ModelCorrupt(PagesplitError):
    code = "E302"


class ModelUnsupported(PagesplitError):
    """A model uses something the numpy evaluator (``forest.py``) does not implement."""

    code = "E303"


class TrainingDiverged(PagesplitError):
    """A fit produced trees whose leaves no converged model has (``rolemodel.check_converged``)."""

    code = "E304"


class UsageError(PagesplitError):
    code = "E401"
