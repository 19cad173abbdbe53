"""Move documents uploaded before the private storage out of MEDIA_ROOT.

They used to live in MEDIA_ROOT/documents/, where a web server serving
/media/ exposes them; resources.storage now keeps them in
PRIVATE_MEDIA_ROOT/documents/ under the same names. Idempotent: a file
already moved loses its public copy."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations

from resources.storage import private_root


def move_documents(apps, schema_editor):
    public = Path(settings.MEDIA_ROOT) / "documents"
    if not public.is_dir():
        return
    target = private_root() / "documents"
    for source in sorted(public.rglob("*")):
        if not source.is_file():
            continue
        destination = target / source.relative_to(public)
        if destination.exists():
            # Already moved: the private copy is the one served.
            source.unlink()
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(source), str(destination))


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0003_guides_models"),
        ("wagtaildocs", "0001_initial"),
    ]

    operations = [migrations.RunPython(move_documents, migrations.RunPython.noop)]
