"""Agenda URLs that are not Wagtail pages (feeds, calendar grid)."""

app_name = "events"
urlpatterns = []
