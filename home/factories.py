"""Factories of the home app, and the shared ones every app's factories build
on: published pages, images and documents read from files, partners, the
home page and the standard (legal) pages.

Tests and `load_demo_data` build objects only through the factories of the
app that owns the model (`events.factories`, `resources.factories`,
`volunteers.factories`, this module); the whole site's skeleton is
`portal.factories.create_site_tree()`."""

import datetime
import io
import itertools
import re
from pathlib import Path

import factory
import wagtail_factories
from django.core.files import File
from django.core.files.images import ImageFile
from factory.django import DjangoModelFactory
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from .models import HomePage, Membership, Partner, StandardPage

# --- Pages -------------------------------------------------------------------


class PageFactory(wagtail_factories.PageFactory):
    """A page added under `parent` and published with one revision, as an
    editor's « Publier » does. `publish=False` leaves it live without any
    revision (fast, for bulk data); `tags=[…]` fills a ClusterTaggableManager."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, publish=True, tags=(), **kwargs):
        parent = kwargs.pop("parent")
        page = model_class(**kwargs)
        if tags:
            page.tags.add(*tags)
        if parent is None:
            model_class.add_root(instance=page)
        else:
            parent.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        return page


def get_or_create_page(page_factory, parent, slug, **fields):
    """(page, created): the child of `parent` at `slug` if there is one (left
    as editors made it), else a new published page from `page_factory`."""
    existing = Page.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    return page_factory(parent=parent, slug=slug, **fields), True


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage

    title = "Atelier numérique citoyen de Wimille"
    slug = "accueil"


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Page {n}")
    intro = "Une page du site."
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Le texte de la page.</p>")])
    last_reviewed = datetime.date(2026, 11, 1)


# The legal pages' texts are files of the home app (home/legal_pages/<slug>.html):
# a comment with « title: », « intro: » and optional « show_in_menus: oui »,
# then blocks separated by blank lines: <h2>/<h3> headings,
# <site-info kind="…"></site-info> (details taken from the site's settings)
# and paragraphs of rich text.
LEGAL_PAGES_DIR = Path(__file__).resolve().parent / "legal_pages"
LEGAL_PAGE_SLUGS = [
    "a-propos",
    "mentions-legales",
    "donnees-personnelles",
    "accessibilite",
]
_HEADING = re.compile(r"^<(h[23])>(.*)</\1>$", re.DOTALL)
_SITE_INFO = re.compile(r'^<site-info kind="([a-z_]+)"></site-info>$')
_HEADER = re.compile(r"^<!--\n(.*?)\n-->\n", re.DOTALL)


def _block(chunk):
    if match := _HEADING.match(chunk):
        return ("heading", {"text": match.group(2), "level": match.group(1)})
    if match := _SITE_INFO.match(chunk):
        return ("site_info", {"kind": match.group(1)})
    return ("paragraph", chunk)


def legal_page_fields(slug):
    """The StandardPage fields {title, intro, show_in_menus, body} written in
    home/legal_pages/<slug>.html."""
    text = (LEGAL_PAGES_DIR / f"{slug}.html").read_text(encoding="utf-8")
    header = _HEADER.match(text)
    fields = dict(line.split(": ", 1) for line in header.group(1).splitlines())
    chunks = [c.strip() for c in text[header.end() :].split("\n\n") if c.strip()]
    return {
        "title": fields["title"],
        "intro": fields["intro"],
        "show_in_menus": fields.get("show_in_menus") == "oui",
        "body": [_block(chunk) for chunk in chunks],
    }


# --- Partners ------------------------------------------------------------------


class PartnerFactory(DjangoModelFactory):
    """A partner of the agreement, looked up by slug first."""

    class Meta:
        model = Partner
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partenaire {n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:60])
    slug = factory.Sequence(lambda n: f"partenaire-{n}")
    address = "1 place de la Mairie"
    postal_code = "62126"
    city = "Wimille"


class MembershipFactory(DjangoModelFactory):
    """The town's subscription to a partner for a year, looked up by
    (partner, year) first."""

    class Meta:
        model = Membership
        django_get_or_create = ("partner", "year")

    partner = factory.SubFactory(PartnerFactory)
    year = 2026


# --- Images and documents --------------------------------------------------------


def ensure_root_collection():
    # A flushed database (transactional tests) has lost Wagtail's root
    # collection, which every image and document belongs to.
    root = Collection.get_first_root_node()
    return root or Collection.add_root(name="Root")


def image_from_file(path, title):
    """The Wagtail image titled `title`, uploaded from `path` if there is
    none yet (looked up by title, so loading twice uploads once)."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    path = Path(path)
    with path.open("rb") as handle:
        return wagtail_factories.ImageFactory(
            title=title,
            file=ImageFile(handle, name=path.name),
            collection=ensure_root_collection(),
        )


def document_from_file(path, title):
    """The Wagtail document titled `title`, uploaded from `path` if there is
    none yet."""
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    path = Path(path)
    with path.open("rb") as handle:
        document = wagtail_factories.DocumentFactory.build(
            title=title,
            file=File(handle, name=path.name),
            collection=ensure_root_collection(),
            file_size=path.stat().st_size,
        )
        document._set_file_hash()
        document.save()
    return document


def png_bytes(width=256, height=256, fmt="PNG", colour=(27, 63, 115)):
    """A plain picture of that size, encoded in `fmt` (PNG, JPEG, GIF)."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format=fmt)
    return buffer.getvalue()


_numbers = itertools.count(1)


def wagtail_image(width=256, height=256, fmt="PNG", title=None, colour=(27, 63, 115)):
    """A new Wagtail image of a plain picture (for tests: no file needed)."""
    extension = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}[fmt]
    return wagtail_factories.ImageFactory(
        title=title or f"Image {next(_numbers)}",
        file=ImageFile(
            io.BytesIO(png_bytes(width, height, fmt, colour)), name=f"img.{extension}"
        ),
        collection=ensure_root_collection(),
    )
