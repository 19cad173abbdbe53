"""URL converters shared by the apps' URLconfs.

Slugs are Unicode, the Wagtail way: ``WAGTAIL_ALLOW_UNICODE_SLUGS`` is on
(Wagtail's default), so the admin turns « Conférence : sécurité numérique »
into ``conférence-sécurité-numérique`` and keeps the accents people read in
the address bar. Django's own ``<slug:>`` only takes ASCII: a route that
names a page or a snippet by its slug uses ``<unicode_slug:…>`` instead, so
it accepts every slug the admin lets an editor save (Django's
``validate_unicode_slug``, the same ``[-\\w]+``). ``reverse()`` percent-encodes
what it builds, so links stay valid URIs.
"""


class UnicodeSlugConverter:
    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
