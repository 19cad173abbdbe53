"""Downloads that cannot hurt: allow-list and size limit at upload (admin,
single and multiple), and every file served as a sandboxed attachment."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model

from resources import downloads
from tests.factories.guides import make_guide

pytestmark = pytest.mark.django_db

Document = get_document_model()


def _zip(**members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _binary_stl(triangles=2):
    return b"\0" * 80 + triangles.to_bytes(4, "little") + b"\1" * 50 * triangles


VALID_FILES = {
    "cube.stl": b"solid cube\nendsolid cube\n",
    "piece.stl": _binary_stl(),
    "plan.dxf": b"0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n",
    "notice.pdf": b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "piece.3mf": _zip(**{"3D/3dmodel.model": "<model/>"}),
    "compte-rendu.odt": _zip(mimetype="application/vnd.oasis.opendocument.text"),
    "budget.xlsx": _zip(**{"[Content_Types].xml": "<Types/>"}),
    "lisez-moi.txt": "Température : 210 °C, vitesse < 60 mm/s.\n".encode(),
    "mesures.csv": b"longueur;largeur\n10;20\n",
    "cube.gcode": b"G28 ; origine\nG1 X10 Y10\n",
}


def _upload(client, name, content, title="Fichier"):
    return client.post(
        "/admin/documents/add/",
        {
            "title": title,
            "file": SimpleUploadedFile(name, content),
            "collection": _root_collection_id(),
        },
    )


def _root_collection_id():
    from wagtail.models import Collection

    return Collection.get_first_root_node().pk


def test_settings_allow_list_matches_the_rule():
    assert set(settings.WAGTAILDOCS_EXTENSIONS) == set(downloads.ALLOWED_TYPES)
    for dangerous in ("html", "htm", "js", "exe", "sh", "php", "xhtml"):
        assert dangerous not in downloads.ALLOWED_TYPES


@pytest.mark.parametrize(
    "name",
    [
        "page.html",
        "script.js",
        "virus.exe",
        "photo.svg.html",
        "sans-extension",
        "logo.svg",
        "flux.xml",
        "page.xhtml",
    ],
)
def test_forbidden_types_are_refused_in_french(admin_client, name):
    response = _upload(admin_client, name, b"<html><script>alert(1)</script></html>")
    assert response.status_code == 200
    html = response.content.decode()
    assert "n&#x27;est pas accepté" in html
    assert "STL" in html and "PDF" in html
    assert "n’est pas autorisée" not in html  # no second, confusing message
    assert not Document.objects.exists()


def test_web_page_disguised_as_text_is_refused(admin_client):
    response = _upload(admin_client, "notice.txt", b"<!DOCTYPE html><script>x</script>")
    assert "contient une page web ou un script" in response.content.decode()
    assert not Document.objects.exists()


def test_oversized_upload_is_refused(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = _upload(admin_client, "piece.stl", b"solid x\n" + b" " * 2048)
    assert response.status_code == 200
    html = response.content.decode()
    assert "trop gros" in html or "trop lourd" in html
    assert "n’est pas autorisée" not in html
    assert not Document.objects.exists()


def test_allowed_types_are_accepted(admin_client):
    for name, content in VALID_FILES.items():
        response = _upload(admin_client, name, content, name)
        assert response.status_code == 302, name
    assert Document.objects.count() == len(VALID_FILES)


def test_multiple_upload_applies_the_same_rule(admin_client):
    response = admin_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("page.html", b"<html></html>")},
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "n'est pas accepté" in response.json()["error_message"]
    assert not Document.objects.exists()


def _stored(name, content):
    document = Document(title=name, file=ContentFile(content, name=name))
    document.save()
    return document


def _body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("cube.stl", "model/stl"),
        ("boite.svg", "application/octet-stream"),
        ("notice.pdf", "application/pdf"),
    ],
)
def test_documents_are_served_as_sandboxed_attachments(client, name, content_type):
    document = _stored(name, b"contenu")
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert _body(response) == b"contenu"


def test_legacy_html_document_is_never_rendered_inline(client):
    # A file stored before the rule (or by a script) still cannot run.
    document = _stored("ancien.html", b"<script>alert(document.cookie)</script>")
    response = client.get(document.url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_private_collection_stays_private(client):
    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node()
    private = root.add_child(name="Réservé à l'équipe")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = _stored("interne.pdf", b"secret")
    document.collection = private
    document.save()
    response = client.get(document.url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"] or "login" in response["Location"]


def test_guide_lists_its_downloads_with_type_and_size(client, home_page):
    from resources.models import GuideDownload

    document = _stored("cube.stl", b"solid cube\n")
    document.file_size = 11
    document.save()
    guide = make_guide()
    GuideDownload.objects.create(page=guide, document=document, description="Le cube")
    html = client.get(guide.url).content.decode()
    assert "Fichiers à télécharger" in html
    assert f'href="{document.url}" download' in html
    assert "(STL, 11" in html
