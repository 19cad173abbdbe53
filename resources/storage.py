"""Where uploaded files live: images in the public media folder, documents
in a private one.

The rule: a file whose name starts with `documents/` (Wagtail's documents)
is stored under `PRIVATE_MEDIA_ROOT`, outside `MEDIA_ROOT`, so no web
server rule for `/media/` can ever serve it; it is reached only through the
document view of `resources.downloads` (collection privacy, attachment,
nosniff, sandbox). Everything else (images and their renditions) stays
under `MEDIA_ROOT`. One storage class does both, as the default storage, so
Wagtail's models and migrations are untouched.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join

PRIVATE_PREFIX = "documents/"


def private_root():
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    return Path(root) if root else Path(settings.MEDIA_ROOT).parent / "private-media"


def is_private(name):
    return str(name).replace("\\", "/").lstrip("/").startswith(PRIVATE_PREFIX)


class MediaStorage(FileSystemStorage):
    """MEDIA_ROOT for images, PRIVATE_MEDIA_ROOT for documents."""

    def path(self, name):
        if is_private(name):
            return safe_join(private_root(), name)
        return super().path(name)

    def _save(self, name, content):
        saved = super()._save(name, content)
        if not is_private(name):
            return saved
        # Django names the file relative to MEDIA_ROOT; name it relative to
        # the private root instead (still « documents/… »).
        full_path = os.path.normpath(os.path.join(self.location, saved))
        return os.path.relpath(full_path, private_root()).replace("\\", "/")

    def _ensure_location_group_id(self, full_path):
        root = private_root()
        if Path(full_path).is_relative_to(root):
            if os.stat(full_path).st_gid != os.stat(root).st_gid:
                try:
                    os.chown(full_path, uid=-1, gid=os.stat(root).st_gid)
                except PermissionError:
                    pass
            return
        super()._ensure_location_group_id(full_path)

    def url(self, name):
        if is_private(name):
            # Never a /media/ address: documents go through their view.
            raise NotImplementedError("Documents have no public URL: use document.url.")
        return super().url(name)
