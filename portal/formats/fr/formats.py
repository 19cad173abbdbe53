"""The site's French formats, read by Django (`FORMAT_MODULE_PATH`) for
`date_format()`, `{{ value|date }}` and `{{ value|time }}`. Named formats
only: code and templates say "TIME_FORMAT" or "SHORT_DATE_FORMAT", never a
format string of their own (see `portal/formats/__init__.py`)."""

DATE_FORMAT = "j F Y"  # 6 décembre 2026
SHORT_DATE_FORMAT = "d/m/Y"  # 06/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 06/12/2026 09:30 (tables, exports)
TIME_FORMAT = r"G \h i"  # 9 h 30, the French typographic hour
YEAR_MONTH_FORMAT = "F Y"  # décembre 2026
MONTH_DAY_FORMAT = "j F"  # 6 décembre
