"""Downloads that cannot hurt.

Rule: a document is accepted at upload only if its extension is on the
allow-list below and it is no larger than ``WAGTAILDOCS_MAX_UPLOAD_SIZE``;
an upload that claims to be a harmless format but holds a web page is
refused. Every document is then served as an attachment, with the content
type of this table (never one guessed from the file), ``nosniff`` and a
sandboxing Content-Security-Policy, so that not even an SVG or an HTML file
can run in a browser from the site's origin.
"""

import urllib.parse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.documents.forms import BaseDocumentForm
from wagtail.documents.views.serve import serve as wagtail_serve

# Extension → content type sent with the file. Keep in sync with
# WAGTAILDOCS_EXTENSIONS in the settings (a test checks it).
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "odg": "application/vnd.oasis.opendocument.graphics",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "stl": "model/stl",
    "3mf": "model/3mf",
    "obj": "model/obj",
    "svg": "image/svg+xml",
    "dxf": "image/vnd.dxf",
    "gcode": "text/x-gcode",
}

FALLBACK_CONTENT_TYPE = "application/octet-stream"

# A sandboxed document has an opaque origin: even if a browser renders it,
# it can neither run script nor read the site's cookies or pages.
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

# Bytes that betray a web page or a script hidden under another extension.
_ACTIVE_MARKERS = (b"<script", b"<html", b"<!doctype html", b"<iframe", b"javascript:")
_SNIFF_BYTES = 64 * 1024
# Formats that are text and could hide markup; binary ones are left alone.
_TEXT_FORMATS = {"txt", "csv", "gcode", "dxf", "stl", "obj", "svg"}


def allowed_extensions_text():
    return ", ".join(ext.upper() for ext in ALLOWED_TYPES)


def max_upload_size():
    return getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", 20 * 1024 * 1024)


def extension_of(filename):
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def validate_upload(uploaded):
    """Raise a ValidationError in French if the file may not be published."""
    extension = extension_of(uploaded.name)
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "Le type de fichier « %(ext)s » n'est pas accepté. Formats "
                "acceptés : %(allowed)s."
            ),
            code="forbidden_extension",
            params={
                "ext": extension.upper() or _("sans extension"),
                "allowed": allowed_extensions_text(),
            },
        )
    limit = max_upload_size()
    if uploaded.size > limit:
        raise ValidationError(
            _(
                "Ce fichier est trop lourd (%(size)s) : la taille maximale est "
                "de %(limit)s. Compressez-le ou déposez-le en plusieurs parties."
            ),
            code="file_too_large",
            params={
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(limit),
            },
        )
    if extension in _TEXT_FORMATS:
        head = _read_head(uploaded)
        if any(marker in head for marker in _ACTIVE_MARKERS):
            raise ValidationError(
                _(
                    "Ce fichier contient une page web ou un script, pas un "
                    "fichier « %(ext)s » : il est refusé."
                ),
                code="active_content",
                params={"ext": extension.upper()},
            )


def _read_head(uploaded):
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(_SNIFF_BYTES).lower()
    uploaded.seek(position)
    return head


class SafeDocumentForm(BaseDocumentForm):
    """The admin's document form (single and multiple upload, chooser),
    with the allow-list and size limit of this module."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        # An unchanged file on edit is a FieldFile already stored: no check.
        if uploaded and hasattr(uploaded, "content_type"):
            validate_upload(uploaded)
        return uploaded

    def _post_clean(self):
        refused = list(self.errors["file"].data) if "file" in self.errors else []
        super()._post_clean()
        if refused:
            # The upload was refused with its own message; the model's
            # extension check then sees an empty file and would add a
            # confusing « extension «  » » line: keep only the first message.
            self._errors["file"] = self.error_class(refused)


def content_type_for(document):
    return ALLOWED_TYPES.get(extension_of(document.filename), FALLBACK_CONTENT_TYPE)


def content_disposition_for(document):
    quoted = urllib.parse.quote(document.filename)
    return f"attachment; filename={quoted}; filename*=UTF-8''{quoted}"


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (collection privacy, ETag, sendfile), with
    the headers of this rule laid over its answer."""
    response = wagtail_serve(request, document_id, document_filename)
    if response.status_code != 200 or not response.has_header("Content-Disposition"):
        return response
    document = get_document_model().objects.get(pk=document_id)
    response["Content-Type"] = content_type_for(document)
    if response.get("Content-Encoding") in ("None", ""):
        # Wagtail's streaming sendfile writes the string "None" when the file
        # has no encoding; a browser could refuse to decode the download.
        del response["Content-Encoding"]
    response["Content-Disposition"] = content_disposition_for(document)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOCUMENT_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if document.collection.get_view_restrictions().exists():
        # A restricted file must never land in a shared cache.
        response["Cache-Control"] = "private, no-cache"
    return response
