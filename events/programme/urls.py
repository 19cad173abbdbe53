"""Printed sheets, under /agenda/ (included by events.urls).

Event slugs are Unicode (Wagtail's default), so they are matched with
``[-\\w]+`` rather than Django's ASCII ``slug`` converter."""

from django.urls import path, re_path

from . import views

app_name = "programme"

EVENT = r"(?P<slug>[-\w]+)"

urlpatterns = [
    path("programme/<int:year>/<int:month>/", views.month, name="month"),
    path(
        "programme/<int:year>/<int:month>/programme.pdf",
        views.month_pdf,
        name="month_pdf",
    ),
    re_path(rf"^{EVENT}/affiche/$", views.poster, name="poster"),
    re_path(rf"^{EVENT}/affiche/affiche\.pdf$", views.poster_pdf, name="poster_pdf"),
]
