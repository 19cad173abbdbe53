"""The IMS Open Badges 2.0 validator (openbadges-validator-core) run against
the live test server: it accepts an assertion issued through
`manage.py award_badges` and one awarded in the admin, accepts the baked PNG,
and no longer accepts the revoked one, which it sees as revoked.

The validator needs its own venv (see tests/openbadges_validator.py); set
OPENBADGES_VALIDATOR_PYTHON to its python, or the test is skipped."""

import io
import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from resources.models import BadgeAssertion
from tests.factories.badges import create_badge_class, create_path, path_index

VALIDATOR_PYTHON = os.environ.get("OPENBADGES_VALIDATOR_PYTHON", "")
SCRIPT = Path(__file__).with_name("openbadges_validator.py")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (VALIDATOR_PYTHON and Path(VALIDATOR_PYTHON).exists()),
        reason="OPENBADGES_VALIDATOR_PYTHON n'est pas défini",
    ),
]


def validate(target, email):
    result = subprocess.run(  # noqa: S603 - our own script, our own arguments
        [VALIDATOR_PYTHON, str(SCRIPT), target, email],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    return result.returncode, report, result.stdout


def test_validator_accepts_command_and_admin_assertions_and_sees_revocation(
    live_server, home_page, client, admin_user, tmp_path
):
    badge = create_badge_class(slug="imprimer-3d", validity_months=12)
    create_path(path_index(home_page), badge_class=badge)

    csv_file = tmp_path / "presents.csv"
    csv_file.write_text("Léa Martin,lea@exemple.fr\n")
    out = io.StringIO()
    call_command(
        "award_badges",
        "imprimer-3d",
        str(csv_file),
        "--base-url",
        live_server.url,
        "--no-email",
        stdout=out,
    )
    from_command = out.getvalue().strip()
    assert from_command.startswith(live_server.url + "/badges/assertions/")

    client.force_login(admin_user)
    response = client.post(
        "/admin/badges/decerner/",
        {
            "badge_class": badge.pk,
            "name": "Karim Benali",
            "email": "karim@exemple.fr",
            "evidence_narrative": "A imprimé un porte-clés.",
            "evidence_url": "",
        },
    )
    assert response.status_code == 302
    from_admin = BadgeAssertion.objects.get(recipient_email="karim@exemple.fr")
    admin_url = live_server.url + from_admin.get_absolute_url()

    for url, email in (
        (from_command, "lea@exemple.fr"),
        (admin_url, "karim@exemple.fr"),
    ):
        code, report, _ = validate(url, email)
        assert report["valid"] is True, report
        assert report["errorCount"] == 0
        assert code == 0

    # The baked image alone is enough for the validator.
    baked = tmp_path / "badge.png"
    with urllib.request.urlopen(admin_url + "/badge.png") as response:  # noqa: S310
        baked.write_bytes(response.read())
    code, report, _ = validate(str(baked), "karim@exemple.fr")
    assert report["valid"] is True, report

    # Revoked in the admin: the validator no longer accepts it, and says why.
    client.post(
        f"/admin/badges/decerner/decernes/{from_admin.pk}/revoquer/",
        {"reason": "Décerné par erreur."},
    )
    code, report, stdout = validate(admin_url, "karim@exemple.fr")
    assert report["valid"] is False
    assert code == 1
    assert "REVOKED: Décerné par erreur." in stdout
