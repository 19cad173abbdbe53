"""Shared bases of the admin: every app's viewsets build on these.

- Every admin listing that exports (CSV or XLSX, `list_export`) goes through
  `SafeExportMixin`, so each cell is passed through the one formula rule of
  `portal/exports.py`: viewsets subclass `ModelViewSet` or `SnippetViewSet`
  from here, and a custom index view subclasses `IndexView` or
  `SnippetIndexView` from here; a custom admin page that exports its own rows
  (not a model listing) subclasses `SpreadsheetView` and is its viewset's
  `index_view_class`. `tests/test_admin_exports.py` walks every registered
  viewset with a `list_export` and fails on one that does not.
- Audit data (registrations, badge requests, awarded badges) is read-only in
  the generic views: `ReadOnlyPolicy` refuses adding and editing by hand; the
  rules of each app change those rows.
"""

import csv
import datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin, list_to_str
from wagtail.admin.viewsets import model as model_viewsets
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets

from .exports import neutralise_formula

# --- Custom admin views ---------------------------------------------------------


def require_permission(request, permission):
    """A custom admin view's first line: 403 without `permission`, a matrix
    action's `app_label.codename` (named in the app's `permissions.py`)."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


# --- Exports: one formula rule for every listing ------------------------------


class SafeExportMixin:
    """For index views: every exported cell, once Wagtail has turned it into
    what the spreadsheet receives (text, number, date), is neutralised.
    `csv_byte_order_mark` starts the CSV with a BOM, so that spreadsheet
    software reads it as UTF-8 (the exports made for staff's spreadsheets)."""

    csv_byte_order_mark = False
    #: The permission (`app_label.codename`) the exports take beyond seeing
    #: the listing: without it, no export button and a 403 on `?export=`.
    export_permission = None

    def may_export(self):
        return self.export_permission is None or self.request.user.has_perm(
            self.export_permission
        )

    def dispatch(self, request, *args, **kwargs):
        if self.is_export and not self.may_export():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def show_export_buttons(self):
        return self.may_export() and super().show_export_buttons

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise_formula(value)

    def stream_csv(self, queryset):
        if self.csv_byte_order_mark:
            yield "\ufeff".encode()  # Wagtail streams UTF-8 bytes
        yield from super().stream_csv(queryset)


class IndexView(SafeExportMixin, generic.IndexView):
    pass


def _paris(value):
    return timezone.localtime(value) if timezone.is_aware(value) else value


class FrenchSpreadsheetMixin:
    """For index views whose exports staff open in LibreOffice Calc or Excel
    set to French (put before the index view base). CSV: UTF-8 with a BOM,
    `;` between cells, decimal comma (« 45,00 »), dates « 12/12/2026 14:00 »
    in Paris time. XLSX: amounts are numbers in a euro format, dates real
    dates in Paris time. Both: a choice shows its French label, not its
    code. The formula rule still applies (`SafeExportMixin`)."""

    csv_byte_order_mark = True
    EURO_FORMAT = '#,##0.00 "€"'

    custom_value_preprocess = {
        datetime.datetime: {
            SpreadsheetExportMixin.FORMAT_CSV: lambda value: _paris(value).strftime(
                "%d/%m/%Y %H:%M"
            ),
            SpreadsheetExportMixin.FORMAT_XLSX: lambda value: (
                timezone.make_naive(_paris(value))
                if timezone.is_aware(value)
                else value
            ),
        },
        datetime.date: {
            SpreadsheetExportMixin.FORMAT_CSV: lambda value: value.strftime("%d/%m/%Y"),
            SpreadsheetExportMixin.FORMAT_XLSX: None,
        },
        Decimal: {
            SpreadsheetExportMixin.FORMAT_CSV: lambda value: number_format(value),
            SpreadsheetExportMixin.FORMAT_XLSX: None,
        },
        list: {
            SpreadsheetExportMixin.FORMAT_CSV: list_to_str,
            SpreadsheetExportMixin.FORMAT_XLSX: list_to_str,
        },
    }

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for name in row:
            try:
                field = item._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.choices:
                row[name] = getattr(item, f"get_{name}_display")()
        return row

    def stream_csv(self, queryset):
        yield "\ufeff".encode()  # Wagtail streams UTF-8 bytes
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=";")
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        cells = super().generate_xlsx_row(worksheet, row_dict, date_format)
        for cell, value in zip(cells, row_dict.values(), strict=True):
            if isinstance(value, Decimal):
                cell.number_format = self.EURO_FORMAT
            yield cell


class SnippetIndexView(SafeExportMixin, snippets.IndexView):
    pass


class SpreadsheetView(
    SafeExportMixin, SpreadsheetExportMixin, WagtailAdminTemplateMixin, TemplateView
):
    """A custom admin page that shows rows and exports them as a listing
    does: `?export=csv` or `?export=xlsx` (or a URL pattern built with
    `default_export_format`) sends `get_export_rows()` through Wagtail's
    spreadsheet writer and the shared formula rule. Its viewset declares
    `list_export`, `export_headings` and `export_filename` and builds it with
    `construct_view`."""

    default_export_format = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.export_format = self.get_export_format()
        self.is_export = self.export_format in self.FORMATS

    def get_export_format(self):
        return self.request.GET.get("export") or self.default_export_format

    def get_export_rows(self):
        """The items (model instances or dicts) to export, one per row."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.as_spreadsheet(self.get_export_rows(), self.export_format)
        return super().get(request, *args, **kwargs)


class ModelViewSet(model_viewsets.ModelViewSet):
    index_view_class = IndexView


class SnippetViewSet(snippets.SnippetViewSet):
    index_view_class = SnippetIndexView


class ReadOnlyModelViewSet(ModelViewSet):
    """Audit data: the add, edit and copy views are not even routed; the
    permission policy refuses them too (see `ReadOnlyPolicy`)."""

    removed_views = ("add", "edit", "copy")
    exclude_form_fields = []
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in self.removed_views
        ]


# --- Audit data: seen, never added or edited by hand --------------------------


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Django's model permissions, minus the `denied` actions (adding and
    editing by hand by default). `also_seen_with` lists permissions
    ("app_label.codename") that let a user see the listing without the model's
    own view permission (awarding a badge shows the requests)."""

    denied = ("add", "change", "copy")

    def __init__(self, model, auth_model=None, *, denied=None, also_seen_with=()):
        super().__init__(model, auth_model=auth_model)
        if denied is not None:
            self.denied = tuple(denied)
        self.also_seen_with = tuple(also_seen_with)

    def user_has_permission(self, user, action):
        if action in self.denied:
            return False
        if action in ("view", "inspect"):
            return super().user_has_permission(user, "view") or any(
                user.has_perm(permission) for permission in self.also_seen_with
            )
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [action for action in actions if action not in self.denied]
        )


# --- Inspect views ---------------------------------------------------------------


class FrenchBooleansMixin:
    """Inspect views say « Oui » / « Non », not True / False."""

    def get_field_display_value(self, field_name, field):
        if isinstance(field, models.BooleanField):
            return _("Oui") if getattr(self.object, field_name) else _("Non")
        return super().get_field_display_value(field_name, field)
