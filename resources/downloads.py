"""Downloads that cannot hurt.

Rule: a document is accepted at upload only if its extension is on the
allow-list below, it is no larger than ``WAGTAILDOCS_MAX_UPLOAD_SIZE`` and
its content is what the extension says: a PDF starts like a PDF, office
documents, 3MF and ZIP files are real ZIP archives, an STL is a real binary
STL or plain text; text formats are text (no NUL byte) and nothing in the
whole file, entities decoded, looks like markup or script a browser would
run (``<script``, ``<svg``, ``<html``, ``on…=`` handlers, ``javascript:``…).
SVG, HTML, XML and JavaScript are never accepted. Documents are stored
outside the public media folder (``resources.storage``) and served only
here, as an attachment, with the content type of this table (never one
guessed from the file), ``nosniff`` and a sandboxing Content-Security-Policy.
"""

import html
import io
import re
import urllib.parse
import zipfile

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
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "stl": "model/stl",
    "3mf": "model/3mf",
    "obj": "model/obj",
    "dxf": "image/vnd.dxf",
    "gcode": "text/x-gcode",
}

FALLBACK_CONTENT_TYPE = "application/octet-stream"

# A sandboxed document has an opaque origin: even if a browser renders it,
# it can neither run script nor read the site's cookies or pages.
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

# How each format is recognised by its content.
_ZIP_FORMATS = {"odt", "ods", "odp", "odg", "docx", "xlsx", "pptx", "3mf", "zip"}

# What a browser would run, searched in the whole text, entities decoded.
_ACTIVE = re.compile(
    r"<\s*/?\s*(?:script|html|body|head|iframe|frame|svg|math|object|embed|"
    r"applet|meta|link|style|base|form|img|image|video|audio|xml|\?xml|"
    r"!doctype|x:|xsl|foreignobject|animate|set|use)\b"
    r"|<[^>]*\bon[a-z]+\s*="
    r"|(?:java|vb|live)script\s*:"
    r"|data\s*:\s*text/html",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\s]+")


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
    problem = content_problem(extension, _read_all(uploaded))
    if problem:
        raise problem


def _refused(extension, code="active_content"):
    if code == "wrong_format":
        message = _(
            "Le contenu de ce fichier ne correspond pas à un fichier "
            "« %(ext)s » : il est refusé. Enregistrez-le à nouveau dans ce "
            "format, ou choisissez la bonne extension."
        )
    else:
        message = _(
            "Ce fichier contient une page web ou un script, pas un fichier "
            "« %(ext)s » : il est refusé."
        )
    return ValidationError(message, code=code, params={"ext": extension.upper()})


def _is_binary_stl(content):
    if len(content) < 84:
        return False
    triangles = int.from_bytes(content[80:84], "little")
    return len(content) == 84 + 50 * triangles


def _looks_active(text):
    """Markup or script anywhere in the text: entities decoded (twice, for
    « &amp;#106; »), invisible characters and spaces inside words ignored."""
    decoded = html.unescape(html.unescape(text))
    squeezed = _INVISIBLE.sub("", decoded)
    return bool(_ACTIVE.search(decoded) or _ACTIVE.search(squeezed))


def content_problem(extension, content):
    """The ValidationError this content deserves under this extension, or
    None when it is what the extension says and cannot run."""
    if extension == "pdf":
        if b"%PDF-" in content[:1024]:
            return None
        return _refused(extension, "wrong_format")
    if extension in _ZIP_FORMATS:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if archive.testzip() is not None:
                    return _refused(extension, "wrong_format")
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            return _refused(extension, "wrong_format")
        return None
    if extension == "stl" and _is_binary_stl(content):
        return None
    # Text formats (ASCII STL included): text, and nothing a browser runs.
    if b"\x00" in content:
        if _looks_active(content.replace(b"\x00", b"").decode("latin-1")):
            return _refused(extension)
        return _refused(extension, "wrong_format")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    if extension == "stl" and not text.lstrip().lower().startswith("solid"):
        return _refused(extension, "wrong_format")
    if _looks_active(text):
        return _refused(extension)
    return None


def _read_all(uploaded):
    # The whole file: markup after the first 64 KB is markup all the same.
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    content = uploaded.read()
    uploaded.seek(position)
    return content


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
