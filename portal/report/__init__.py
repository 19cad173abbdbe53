"""« Bilan de la convention »: the partnership's year in one place.

Each app gives its own figures for a date range (`events.report`,
`resources.report`, `volunteers.report`), with a fixed number of queries
whatever the period holds; `portal.report.build` puts them in sections
under the survey's headings, `charts` draws them, `exports` writes them.
Nothing personal is read: counts only.
"""
