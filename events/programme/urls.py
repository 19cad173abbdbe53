"""Printed sheets, under /agenda/ (included by events.urls). Event slugs
are Unicode (Wagtail's default): they take `<unicode_slug:…>`, like every
slug route of the project (portal/converters.py)."""

from django.urls import path

from events.programme import views

app_name = "programme"

urlpatterns = [
    path("programme/<int:year>/<int:month>/", views.month, name="month"),
    path(
        "programme/<int:year>/<int:month>/programme.pdf",
        views.month_pdf,
        name="month_pdf",
    ),
    path("<unicode_slug:slug>/affiche/", views.poster, name="poster"),
    path(
        "<unicode_slug:slug>/affiche/affiche.pdf", views.poster_pdf, name="poster_pdf"
    ),
]
