"""Open Badges endpoints under /badges/ (issuer, badge classes, assertions,
baked images, verification page, request form; Open Badges 3.0 keys, status
lists and credential downloads)."""

from django.urls import path

from . import views
from .credentials import views as credentials

app_name = "resources"
urlpatterns = [
    path("emetteur", views.issuer, name="issuer"),
    path("emetteur/revocations", views.revocation_list, name="revocation_list"),
    # Open Badges 3.0 (resources/credentials/).
    path("emetteur/cles", credentials.issuer_keys, name="issuer_keys"),
    path("emetteur/cles/<str:key>", credentials.issuer_key, name="issuer_key"),
    path("statut/<int:pk>", credentials.status_list, name="status_list"),
    path(
        "assertions/<str:uid>/attestation.json",
        credentials.credential_json,
        name="credential_json",
    ),
    path(
        "assertions/<str:uid>/attestation.png",
        credentials.credential_png,
        name="credential_png",
    ),
    path(
        "assertions/<str:uid>/attestation.svg",
        credentials.credential_svg,
        name="credential_svg",
    ),
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
