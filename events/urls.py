"""Agenda URLs that are not Wagtail pages (feeds, calendar grid)."""

from django.urls import path

from . import feeds, views

app_name = "events"
urlpatterns = [
    path("agenda.ics", views.agenda_ics, name="ics"),
    path("rss/", feeds.UpcomingEventsFeed(), name="rss"),
    path(
        "calendrier/<int:year>/<int:month>/",
        views.month,
        name="month",
    ),
]
