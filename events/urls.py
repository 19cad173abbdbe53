"""Agenda URLs that are not Wagtail pages (feeds, calendar grid, the
registration form and its cancel link)."""

from django.urls import include, path

from events.agenda import feeds, views
from events.appointments import views as appointment_views
from events.registrations import manage_views
from events.registrations import views as registration_views
from events.relay import views as relay_views
from events.rooms import feeds as room_feeds
from events.subscriptions import views as subscription_views

app_name = "events"
urlpatterns = [
    path("agenda.ics", views.agenda_ics, name="ics"),
    path("rss/", feeds.UpcomingEventsFeed(), name="rss"),
    # Wagtail's page URLs cannot end in a file name, so an event's own
    # calendar file is served here.
    path("<unicode_slug:slug>/evenement.ics", views.event_ics, name="event_ics"),
    path(
        "<unicode_slug:slug>/inscription/",
        registration_views.registration_form,
        name="registration",
    ),
    path(
        "calendrier/<int:year>/<int:month>/",
        views.month,
        name="month",
    ),
    path(
        "inscription/annuler/<str:token>/",
        registration_views.cancel_registration,
        name="registration_cancel",
    ),
    path(
        "inscription/confirmer/<str:token>/",
        registration_views.confirm_registration,
        name="registration_confirm",
    ),
    path(
        "inscription/gerer/<str:token>/",
        manage_views.manage_registration,
        name="registration_manage",
    ),
    path(
        "<unicode_slug:slug>/rendez-vous/",
        appointment_views.book,
        name="appointment_book",
    ),
    path(
        "rendez-vous/<str:token>/",
        appointment_views.manage,
        name="appointment_manage",
    ),
    # Staff's private feed of a room's bookings (secret token in the URL).
    path(
        "salles/<str:token>/reservations.ics",
        room_feeds.bookings_ics,
        name="room_bookings_ics",
    ),
    # The agenda by e-mail (events.subscriptions.views).
    path("abonnement/", subscription_views.subscribe, name="subscribe"),
    path(
        "abonnement/envoye/",
        subscription_views.subscription_sent,
        name="subscription_sent",
    ),
    path(
        "abonnement/confirmer/<str:key>/",
        subscription_views.confirm,
        name="subscription_confirm",
    ),
    path(
        "abonnement/desabonner/<str:token>/",
        subscription_views.unsubscribe,
        name="subscription_unsubscribe",
    ),
    # Relaying the agenda (events.relay.views).
    path("agenda.json", relay_views.agenda_json, name="json"),
    path("widget/", relay_views.widget, name="widget"),
    path("diffuser/", relay_views.share, name="share"),
    # Printed programme and posters (events.programme).
    path("", include("events.programme.urls")),
]
