"""Whether a parsed notebook follows the Jupyter format (`nbformat.validate`), as a note for a
notebook that does not but whose code cells were recovered; optionally in a background thread,
so that grading starts while nbformat is imported (a tenth of a second)."""

from __future__ import annotations

import threading
import warnings
from textwrap import shorten
from typing import Any

MAX_DETAIL_CHARS = 200
RECOVERED = (
    "The notebook does not fully follow the Jupyter notebook format ({detail}); its code "
    "cells were recovered and graded. If the grade looks wrong, re-download the notebook "
    "from Jupyter with File > Download and submit again."
)


def validation_notes(notebook: Any) -> tuple[str, ...]:
    """The RECOVERED note if `notebook` does not pass `nbformat.validate`, else nothing."""
    import nbformat  # here, so that loading a notebook need not wait for the import

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # missing or duplicate cell ids: repaired in place
            nbformat.validate(notebook)
    except Exception as error:  # on odd input validation can fail like the converters do
        detail = getattr(error, "message", None) or "unreadable structure"
        return (RECOVERED.format(detail=shorten(str(detail), MAX_DETAIL_CHARS)),)
    return ()


class FormatCheck:
    """`nbformat.validate` of a parsed notebook, in a background thread."""

    def __init__(self, notebook: Any) -> None:
        self._notes: tuple[str, ...] = ()
        self._thread = threading.Thread(target=self._run, args=(notebook,), daemon=True)
        self._thread.start()

    def _run(self, notebook: Any) -> None:
        self._notes = validation_notes(notebook)

    def notes(self) -> tuple[str, ...]:
        """The validation's note, if the notebook does not follow the format."""
        self._thread.join()
        return self._notes
