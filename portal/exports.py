"""Spreadsheet exports of personal data (registrations, volunteers).

The rule: a cell whose text starts with a character that makes a spreadsheet
read it as a formula (= + - @ tab CR) gets a leading apostrophe, so it shows
as text and never runs (CSV/formula injection). Applies to CSV and XLSX alike.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """The value as a spreadsheet will show it as text; non-text values
    (numbers, dates) are kept as they are so they stay typed in XLSX."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
