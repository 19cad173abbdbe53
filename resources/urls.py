"""Open Badges endpoints under /badges/ (issuer, badge classes, assertions,
baked images, verification page, request form)."""

from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("emetteur", views.issuer, name="issuer"),
    path("emetteur/revocations", views.revocation_list, name="revocation_list"),
    path("assertions/<str:uid>", views.assertion, name="assertion"),
    path("assertions/<str:uid>/verifier", views.verify, name="assertion_verify"),
    path(
        "assertions/<str:uid>/badge.png", views.assertion_image, name="assertion_image"
    ),
    path("<unicode_slug:slug>", views.badge_class, name="badge_class"),
    path(
        "<unicode_slug:slug>/image.png",
        views.badge_class_image,
        name="badge_class_image",
    ),
    path("<unicode_slug:slug>/demande/", views.request_badge, name="request_badge"),
    path(
        "<unicode_slug:slug>/demande/envoyee/", views.request_sent, name="request_sent"
    ),
]
