"""Documents never run and never leave through /media/: stored outside the
public media folder, reachable only through their view; uploads checked on
their whole content (SVG, HTML, XML, scripts refused however they are
hidden); images limited in bytes and pixels; CLX editors cannot upload
documents; documents stored before the rule are moved out of /media/."""

import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from tests.factories.badges import png_bytes

pytestmark = pytest.mark.django_db

Document = get_document_model()


def upload(client, name, content, title="Fichier"):
    return client.post(
        "/admin/documents/add/",
        {
            "title": title,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_an_uploaded_document_is_outside_the_public_media_folder(
    admin_client, client, settings
):
    response = upload(admin_client, "notice.pdf", b"%PDF-1.7\n%%EOF\n")
    assert response.status_code == 302
    document = Document.objects.get()
    stored = Path(document.file.path)
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not list(Path(settings.MEDIA_ROOT).rglob("notice*.pdf"))
    # Its only address is the document view, with the safe headers.
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert b"".join(served.streaming_content) == b"%PDF-1.7\n%%EOF\n"
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018


def test_images_stay_in_the_public_media_folder(settings):
    from tests.factories.badges import wagtail_image

    image = wagtail_image()
    assert Path(image.file.path).is_relative_to(Path(settings.MEDIA_ROOT))
    assert image.file.url.startswith("/media/")


HOSTILE_UPLOADS = {
    "svg onload in text": ("notes.txt", b"bonjour <svg onload=alert(1)>"),
    "svg/onload": ("mesures.csv", b"a;b\n<svg/onload=alert(1)>;2\n"),
    "script after 64 KB": ("notice.txt", b"a" * 70_000 + b"<script>alert(1)</script>"),
    "script after 1 MB": ("cube.gcode", b"G1 X1\n" * 200_000 + b"<ScRiPt>x</sCrIpT>"),
    "NUL-split tag": ("notes.txt", b"<scr\x00ipt>alert(1)</scr\x00ipt>"),
    "entity-encoded javascript": (
        "liens.txt",
        b'<a href="&#106;avascript:alert(1)">x</a>',
    ),
    "hex entities": ("liens.txt", b"&#x6A;&#x61;vascript&#x3A;alert(1)"),
    "spaced javascript": ("liens.txt", b"java\tscript:alert(1)"),
    "double-encoded entity": ("liens.txt", b"&amp;lt;script&amp;gt;"),
    "event handler": ("notes.txt", b'<img src=x onerror="alert(1)">'),
    "html in ascii stl": (
        "cube.stl",
        b"solid x\n<html><body>hi</body></html>\nendsolid",
    ),
    "xml declaration": ("donnees.txt", b'<?xml version="1.0"?><x/>'),
    "doctype": ("plan.dxf", b"<!DOCTYPE html><p>x</p>"),
    "iframe": ("plan.obj", b"v 0 0 0\n<iframe src=//evil.example>"),
}

WRONG_FORMATS = {
    "html named pdf": ("notice.pdf", b"<html>not a pdf</html>"),
    "text named odt": ("compte-rendu.odt", b"just text, not a zip"),
    "text named zip": ("archive.zip", b"PK but not really"),
    "binary named txt": ("notes.txt", b"\x00\x01\x02\x03binary"),
    "garbage named stl": ("piece.stl", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_UPLOADS))
def test_active_content_is_refused_in_french(admin_client, case):
    name, content = HOSTILE_UPLOADS[case]
    response = upload(admin_client, name, content)
    assert response.status_code == 200, case
    assert "contient une page web ou un script" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("case", sorted(WRONG_FORMATS))
def test_content_that_is_not_its_format_is_refused(admin_client, case):
    name, content = WRONG_FORMATS[case]
    response = upload(admin_client, name, content)
    assert response.status_code == 200, case
    html = response.content.decode()
    assert "ne correspond pas" in html or "page web ou un script" in html
    assert not Document.objects.exists()


def image_upload(client, content, name="photo.png"):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Photo",
            "file": SimpleUploadedFile(name, content, content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_decompression_bomb_image_is_refused(admin_client):
    from wagtail.images import get_image_model

    bomb = png_bytes(8000, 6000)  # 48 megapixels in a small file
    assert len(bomb) < 2 * 1024 * 1024
    response = image_upload(admin_client, bomb)
    assert response.status_code == 200
    assert "pixels" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_heavy_image_is_refused(admin_client, settings):
    from wagtail.images import get_image_model

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10_000
    response = image_upload(admin_client, png_bytes(400, 400) + b"\0" * 20_000)
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def test_clx_editors_choose_documents_but_cannot_upload_them(client, role_user):
    user = role_user(role_user.roles.CLX_EDITORS)
    client.force_login(user)
    response = upload(client, "notice.pdf", b"%PDF-1.7\n%%EOF\n")
    assert response.status_code in (302, 403)
    assert not Document.objects.exists()
    assert client.get("/admin/documents/chooser/").status_code == 200
    assert not user.has_perm("wagtaildocs.add_document")


def test_existing_documents_are_moved_out_of_media(settings):
    # A document stored the old way, in MEDIA_ROOT/documents/.
    legacy = Path(settings.MEDIA_ROOT) / "documents" / "ancien.pdf"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"%PDF-1.4 ancien")
    document = Document(title="Ancien")
    document.file.name = "documents/ancien.pdf"
    document.save()
    # The data migration's own function (running `migrate` backwards and
    # forwards costs minutes on SQLite); it runs twice without harm.
    migration = importlib.import_module(
        "resources.migrations.0004_documents_private_storage"
    )
    migration.move_documents(django_apps, None)
    migration.move_documents(django_apps, None)
    assert not legacy.exists()
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 ancien"
    assert Path(document.file.path).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))


def test_a_document_saved_by_code_goes_to_the_private_folder(settings):
    document = Document(title="Code", file=ContentFile(b"solid x\n", name="x.stl"))
    document.save()
    assert document.file.name.startswith("documents/")
    assert Path(settings.PRIVATE_MEDIA_ROOT, document.file.name).exists()
    assert not Path(settings.MEDIA_ROOT, document.file.name).exists()
    assert io.BytesIO(document.file.read()).read() == b"solid x\n"
