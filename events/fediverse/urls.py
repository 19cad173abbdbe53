from django.urls import path

from . import views

app_name = "fediverse"

urlpatterns = [
    path("inbox", views.shared_inbox, name="shared_inbox"),
    path("evenements/<int:pk>", views.event, name="event"),
    path("<slug:name>", views.actor, name="actor"),
    path("<slug:name>/inbox", views.actor_inbox, name="inbox"),
    path("<slug:name>/outbox", views.outbox, name="outbox"),
    path("<slug:name>/followers", views.followers, name="followers"),
    path("<slug:name>/featured", views.featured, name="featured"),
]
