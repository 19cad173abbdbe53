"""The agenda: events' recurrence rules (`recurrence`), their stored dates
(`occurrences`), the closures of their places (`closures`), the iCalendar,
RSS and JSON-LD documents, the public agenda views (month grid, day,
archive) and the anonymous attendance counts."""
