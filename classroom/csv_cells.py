"""CSV cells that spreadsheets read as text, never as formulas.

A display name such as `=HYPERLINK("http://evil.example", "Click")` becomes a
live formula when an instructor opens the export in a spreadsheet. As OWASP
advises, a cell that starts with =, +, -, @, tab or carriage return gets a
single quote in front, which spreadsheets show as text and do not evaluate.
"""

import csv

__all__ = ["csv_cell", "formula_safe_writer"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """Return `value` as it may go into a CSV cell: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _FormulaSafeWriter:
    def __init__(self, file):
        self._writer = csv.writer(file)

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value) for value in row])


def formula_safe_writer(file) -> _FormulaSafeWriter:
    """A csv.writer for `file` whose every cell goes through csv_cell first."""
    return _FormulaSafeWriter(file)
