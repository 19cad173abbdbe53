from django.urls import path

from events.fediverse import views

app_name = "fediverse"

urlpatterns = [
    path("inbox", views.shared_inbox, name="shared_inbox"),
    path("evenements/<int:pk>", views.event, name="event"),
    path("<unicode_slug:name>", views.actor, name="actor"),
    path("<unicode_slug:name>/inbox", views.actor_inbox, name="inbox"),
    path("<unicode_slug:name>/outbox", views.outbox, name="outbox"),
    path("<unicode_slug:name>/followers", views.followers, name="followers"),
    path("<unicode_slug:name>/featured", views.featured, name="featured"),
]
