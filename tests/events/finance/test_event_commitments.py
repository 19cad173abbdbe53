"""Money decided together: an event with a town-paid or shared expense
cannot go live by any route until the town (and CLX for a shared line)
agree; decisions are logged and shown; bad amounts and documents are refused
next to the field; the yearly export neutralises formulas.

Routes walked: the editor's publish button, scheduling from the editor and
from code, the scheduler command, bulk publish, workflow approval (from the
editor and from the dashboard's action view), copying with « publier les
copies », and `revision.publish()` itself.
"""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, WorkflowState
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html

from events.finance import rules as finance
from events.models import CommitmentDecision, EventPage
from events.models import FinancialCommitment as Line
from portal import roles
from tests.admin_forms import create_role_user, post_commitment_decision
from tests.factories.events import EventTypeFactory, paris
from tests.factories.rooms import create_commitment
from tests.pages import mail_links

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 2, 10, 0)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def people(home_page):
    call_command("setup_portal", verbosity=0)
    made = {}
    for key, role, username in [
        ("admin", roles.ADMINISTRATION, "administration"),
        ("moderation", roles.MODERATION, "moderation"),
        ("redaction", roles.MEDIATHEQUE_EDITORS, "redaction"),
        ("clx_editor", roles.CLX_EDITORS, "clx-redaction"),
        ("clx", roles.CLX_COORDINATION, "clx-coordination"),
    ]:
        made[key] = create_role_user(username, role, password="x" * 12)
    return made


def draft_event(agenda, owner, title="Fête du libre"):
    start = paris(2026, 12, 12, 14, 0)
    page = EventPage(
        title=title,
        slug=slugify(title, allow_unicode=True),
        summary="Une journée pour découvrir le logiciel libre.",
        event_type=EventTypeFactory(),
        start=start,
        end=start + datetime.timedelta(hours=3),
        owner=owner,
        live=False,
    )
    agenda.add_child(instance=page)
    page.save_revision(user=owner)
    return page


@pytest.fixture
def event(agenda, people):
    return draft_event(agenda, people["clx"])


def edit_data(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
    html = response.content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data["body-count"] = "0"  # the StreamField's JavaScript would send it
    # A checked box without a value attribute is sent as "on" by browsers.
    for box in WagtailTestUtils.get_soup(html).find_all("input", type="checkbox"):
        if box.has_attr("checked") and "value" not in box.attrs:
            data[box["name"]] = "on"
    return data, response


def messages_text(response):
    return " ".join(str(m) for m in response.context["messages"])


def press(client, page, action, **extra):
    data, _ = edit_data(client, page)
    data[f"action-{action}"] = "on"
    data.update(extra)
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), data, follow=True
    )


def is_live(page):
    return Page.objects.get(pk=page.pk).live


# -- The rule --------------------------------------------------------------------------


def test_town_and_clx_lines_ask_for_the_right_agreements(event, people):
    town = create_commitment(event, payer="ville", user=people["clx"])
    clx = create_commitment(event, payer="clx", amount="20", user=people["clx"])
    shared = create_commitment(event, payer="partage", amount="96", user=people["clx"])
    assert (town.town_status, town.clx_status) == ("pending", "not_needed")
    assert clx.is_settled
    assert (shared.town_status, shared.clx_status) == ("pending", "pending")
    assert [d.kind for d in town.decisions.all()] == ["proposed"]


# -- Every publication route is refused while a line waits -----------------------------


def test_publish_button_is_refused_with_the_reason_until_the_town_authorises(
    client, event, people
):
    line = create_commitment(event, payer="ville", user=people["clx"])
    client.force_login(people["moderation"])
    response = press(client, event, "publish")
    assert not is_live(event)
    text = messages_text(response)
    assert "Publication impossible" in text
    assert (
        "« Viennoiseries et boissons » (60,00 €) attend l'autorisation de la ville"
        in text
    )

    finance.authorise_town(line, people["moderation"], "Budget animation 2026.")
    response = press(client, event, "publish")
    assert is_live(event), messages_text(response)


def test_a_shared_line_also_needs_clx_coordination(client, event, people):
    line = create_commitment(event, payer="partage", user=people["clx"])
    finance.authorise_town(line, people["moderation"])
    with pytest.raises(finance.PublishBlocked, match="l'accord de CLX"):
        event.get_latest_revision().publish(user=people["moderation"])
    # A CLX editor (not coordination) and the médiathèque cannot give it.
    for who in ("clx_editor", "moderation"):
        client.force_login(people[who])
        post_commitment_decision(client, line, "clx", "give")
        line.refresh_from_db()
        assert line.clx_status == "pending", who
    client.force_login(people["clx"])
    response = post_commitment_decision(
        client, line, "clx", "give", "D'accord pour moitié.", follow=True
    )
    assert "Décision enregistrée" in response.content.decode()
    event.get_latest_revision().publish(user=people["moderation"])
    assert is_live(event)


def test_revision_publish_in_code_is_refused(event, people):
    create_commitment(event, user=people["clx"])
    with pytest.raises(finance.PublishBlocked):
        event.get_latest_revision().publish()
    assert not is_live(event)


def test_scheduling_is_refused_in_the_editor_and_in_code(client, event, people):
    create_commitment(event, user=people["clx"])
    client.force_login(people["moderation"])
    later = (timezone.localtime() + datetime.timedelta(days=3)).strftime(
        "%d/%m/%Y %H:%M"
    )
    response = press(client, event, "publish", go_live_at=later)
    assert "Publication impossible" in messages_text(response)
    assert not event.revisions.filter(approved_go_live_at__isnull=False).exists()

    page = EventPage.objects.get(pk=event.pk)
    page.go_live_at = timezone.now() + datetime.timedelta(days=3)
    revision = page.save_revision(user=people["moderation"])
    with pytest.raises(finance.PublishBlocked):
        revision.publish(user=people["moderation"])
    assert not event.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_a_line_added_after_scheduling_cancels_the_schedule(event, people):
    page = EventPage.objects.get(pk=event.pk)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision(user=people["moderation"]).publish(user=people["moderation"])
    assert event.revisions.filter(approved_go_live_at__isnull=False).exists()

    create_commitment(event, user=people["clx"])
    assert not event.revisions.filter(approved_go_live_at__isnull=False).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        call_command("publish_scheduled", verbosity=0)
    assert not is_live(event)


def test_bulk_publish_is_refused(client, agenda, event, people):
    create_commitment(event, user=people["clx"])
    other = draft_event(agenda, people["clx"], title="Install party")
    client.force_login(people["moderation"])
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    next_url = reverse("wagtailadmin_explore", args=(agenda.pk,))
    response = client.post(
        f"{url}?id={event.pk}&id={other.pk}&next={next_url}", {}, follow=True
    )
    assert "Publication impossible" in messages_text(response)
    assert not is_live(event)
    assert not is_live(other)  # the whole selection waits, nothing half done


def submit(client, page, user):
    client.force_login(user)
    press(client, page, "submit")
    page.refresh_from_db()
    assert page.workflow_in_progress


def test_workflow_approval_is_refused_from_the_dashboard_and_the_editor(
    client, event, people
):
    create_commitment(event, user=people["clx"])
    submit(client, event, people["clx"])
    task_state = event.current_workflow_task_state
    client.force_login(people["moderation"])
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(event.pk, "approve", task_state.pk),
        ),
        {"comment": "Parfait."},
    )
    assert response.status_code in (302, 403)
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS
    assert not is_live(event)

    data, _ = edit_data(client, event)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(event.pk,)), data, follow=True
    )
    assert "Publication impossible" in messages_text(response)
    assert not is_live(event)
    assert WorkflowState.objects.get(object_id=str(event.pk)).status == "in_progress"


def test_a_live_copy_is_refused_and_a_draft_copy_carries_the_lines(
    client, agenda, people
):
    # An event already live gets a new town-paid line afterwards.
    live = draft_event(agenda, people["moderation"], title="Conférence")
    live.get_latest_revision().publish()
    line = create_commitment(live, user=people["moderation"])
    finance.authorise_town(line, people["moderation"])
    client.force_login(people["moderation"])
    url = reverse("wagtailadmin_pages:copy", args=(live.pk,))
    base = {
        "new_title": "Conférence 2027",
        "new_slug": "conference-2027",
        "new_parent_page": str(agenda.pk),
    }
    response = client.post(url, {**base, "publish_copies": "on"}, follow=True)
    assert "copiez-le sans le publier" in response.content.decode()
    assert not EventPage.objects.filter(slug="conference-2027").exists()

    client.post(url, base)
    copy = EventPage.objects.get(slug="conference-2027")
    assert not copy.live
    copied = copy.commitments.get()
    assert (copied.label, copied.town_status) == (line.label, "pending")
    with pytest.raises(finance.PublishBlocked):
        copy.get_latest_revision().publish()


# -- Decisions: who may, the log, what the editor shows --------------------------------


@pytest.mark.parametrize("who", ["clx", "clx_editor"])
def test_clx_cannot_authorise_for_the_town(client, event, people, who):
    line = create_commitment(event, user=people["clx"])
    client.force_login(people[who])
    post_commitment_decision(client, line, "town", "give")
    line.refresh_from_db()
    assert line.town_status == "pending"


def test_every_decision_is_logged_and_shown_on_the_line_and_the_event(
    client, event, people
):
    line = create_commitment(event, user=people["clx"])
    client.force_login(people["redaction"])
    response = post_commitment_decision(client, line, "town", "refuse", follow=True)
    assert "pourquoi la dépense est refusée" in response.content.decode()
    post_commitment_decision(client, line, "town", "refuse", "Trop cher, voir devis.")
    line.refresh_from_db()
    assert line.town_status == "refused"
    # Changing the amount asks for the agreement again.
    client.force_login(people["clx"])
    data, _ = edit_data_for(client, reverse("commitments:edit", args=(line.pk,)))
    data["amount"] = "45.00"
    client.post(reverse("commitments:edit", args=(line.pk,)), data)
    line.refresh_from_db()
    assert (line.amount, line.town_status) == (Decimal("45.00"), "pending")
    client.force_login(people["moderation"])
    post_commitment_decision(client, line, "town", "give", "OK à 45 €.")
    kinds = [(d.kind, d.user.username) for d in line.decisions.all()]
    assert kinds == [
        ("proposed", "clx-coordination"),
        ("town_no", "redaction"),
        ("changed", "clx-coordination"),
        ("town_ok", "moderation"),
    ]
    page = client.get(reverse("commitments:inspect", args=(line.pk,))).content.decode()
    assert "Trop cher, voir devis." in page and "OK à 45 €." in page
    assert "Refusé par la ville" in page and "Autorisé par la ville" in page
    # The event's editor links to its lines.
    page = client.get(reverse("wagtailadmin_pages:edit", args=(event.pk,)))
    assert "Engagements financiers (1)" in page.content.decode()


def edit_data_for(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    soup_forms = html.count("<form")
    data = querydict_from_html(html, form_index=soup_forms - 1)
    for candidate in range(soup_forms):
        found = querydict_from_html(html, form_index=candidate)
        if "label" in found:
            data = found
    return data, response


def test_opening_the_editor_says_what_is_waiting(client, event, people):
    create_commitment(event, user=people["clx"])
    client.force_login(people["clx"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=(event.pk,)))
    assert "attend l&#x27;autorisation de la ville" in response.content.decode()
    assert "Engagements financiers (1, dont 1 en attente)" in response.content.decode()


# -- Bad input -------------------------------------------------------------------------


def add_line(client, user, event, **fields):
    client.force_login(user)
    data = {
        "event": str(event.pk),
        "label": "Clés USB",
        "amount": "96.00",
        "payer": "partage",
        **fields,
    }
    return client.post(reverse("commitments:add"), data)


def test_a_good_line_with_its_quote_is_stored(client, event, people):
    quote = SimpleUploadedFile("devis.pdf", b"%PDF-1.4 devis", "application/pdf")
    response = add_line(client, people["clx"], event, document=quote)
    line = Line.objects.get()
    assert response["Location"] == reverse("commitments:inspect", args=(line.pk,))
    assert line.created_by == people["clx"]
    download = client.get(reverse("commitments:document", args=(line.pk,)))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 devis"
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"amount": "-12"}, "amount", "Le montant doit être positif"),
        ({"amount": "0"}, "amount", "Le montant doit être positif"),
        ({"amount": "250000"}, "amount", "20 000 € au plus"),
        ({"amount": "12.345"}, "amount", ""),
        ({"amount": "douze"}, "amount", ""),
        (
            {"document": SimpleUploadedFile("devis.exe", b"MZ\x90\x00", "text/plain")},
            "document",
            "",
        ),
        (
            {"document": SimpleUploadedFile("devis.pdf", b"MZ\x90\x00binaire")},
            "document",
            "n'est pas un vrai fichier .pdf",
        ),
        ({"label": ""}, "label", ""),
        ({"payer": "mairie-de-boulogne"}, "payer", ""),
    ],
)
def test_bad_lines_get_a_french_message_next_to_the_field(
    client, event, people, fields, field, message
):
    response = add_line(client, people["clx"], event, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Line.objects.exists()
    assert not CommitmentDecision.objects.exists()


# -- The yearly export for the town's accounts -----------------------------------------


def test_yearly_export_in_csv_and_xlsx_neutralises_formulas(client, agenda, people):
    event = draft_event(agenda, people["clx"])
    create_commitment(event, label='=HYPERLINK("http://evil.example","clic")')
    other_year = draft_event(agenda, people["clx"], title="Ancien atelier")
    EventPage.objects.filter(pk=other_year.pk).update(start=paris(2025, 3, 1, 9, 0))
    create_commitment(other_year, label="Ancienne dépense")
    client.force_login(people["moderation"])
    url = reverse("commitments:index")
    response = client.get(url, {"export": "csv", "year": "2026"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert len(rows) == 2  # heading and the 2026 line only
    assert rows[1][2].startswith("'=HYPERLINK")
    assert "Ancienne dépense" not in body
    response = client.get(url, {"export": "xlsx", "year": "2026"})
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    labels = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert labels == ['\'=HYPERLINK("http://evil.example","clic")']
    # CLX sees the lines but does not export the town's accounts.
    client.force_login(people["clx"])
    response = client.get(url, {"export": "csv", "year": "2026"})
    assert response.status_code in (302, 403)


def test_exports_read_as_french_spreadsheets_expect(client, agenda, people):
    """LibreOffice Calc and Excel set to French: labels, not codes; Paris
    time; amounts as numbers (decimal comma in CSV, euro format in XLSX)."""
    event = draft_event(agenda, people["clx"], title="Fête de l'été")
    create_commitment(event, amount="1234.50", label="Sono et éclairage")
    line = create_commitment(event, payer="partage", amount="45", label="Café")
    finance.authorise_town(line, people["moderation"])
    client.force_login(people["moderation"])
    url = reverse("commitments:index")
    response = client.get(url, {"export": "csv", "year": "2026"})
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Événement",
        "Date de l'événement",
        "Objet de la dépense",
        "Montant (€)",
        "À la charge de",
        "Autorisation de la ville",
        "Accord de CLX",
        "Proposé le",
    ]
    assert rows[1][:7] == [
        "Fête de l'été",
        "12/12/2026 14:00",  # Paris time (13:00 UTC)
        "Sono et éclairage",
        "1234,50",
        "Ville de Wimille",
        "En attente",
        "Non nécessaire",
    ]
    assert rows[2][3:7] == ["45,00", "Partagé (ville et CLX)", "Accordé", "En attente"]
    assert rows[1][7] == NOW.strftime("%d/%m/%Y %H:%M")
    for code in ("ville", "partage", "pending", "not_needed", "given"):
        assert code not in [cell for row in rows for cell in row]

    response = client.get(url, {"export": "xlsx", "year": "2026"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    first = [cell for cell in next(sheet.active.iter_rows(min_row=2))]
    assert first[1].value == datetime.datetime(2026, 12, 12, 14, 0)
    assert first[1].is_date
    assert first[3].value == 1234.5 and first[3].data_type == "n"
    assert "€" in first[3].number_format
    assert (first[4].value, first[5].value) == ("Ville de Wimille", "En attente")


# -- Who decides for whom: the partner, never superuser status -------------------------


def test_the_mediatheques_superuser_cannot_agree_in_clxs_name(client, event, people):
    admin = people["admin"]
    admin.is_superuser = True
    admin.save()
    line = create_commitment(event, payer="partage", user=people["clx"])
    client.force_login(admin)
    page = client.get(reverse("commitments:inspect", args=(line.pk,)))
    html = page.content.decode()
    assert "Autorisation de la ville" in html
    assert "Accord de CLX</h3>" not in html
    assert "60,00 €" in html and "60.00" not in html
    response = post_commitment_decision(client, line, "clx", "give", "Pour CLX.")
    assert response.status_code in (302, 403)  # Wagtail's « permission denied »
    line.refresh_from_db()
    assert line.clx_status == "pending"
    assert not line.decisions.filter(kind="clx_ok").exists()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "autorisation de la ville attendue" in home
    assert "accord de CLX attendu" not in home
    # CLX – Coordination gives it, from its own dashboard's link.
    client.force_login(people["clx"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "accord de CLX attendu" in home
    post_commitment_decision(client, line, "clx", "give", "D'accord.")
    line.refresh_from_db()
    assert line.clx_status == "given"


def test_town_and_clx_forms_on_one_page_do_not_share_ids(client, event, people):
    # Someone in both partners' roles (a town employee who also coordinates
    # CLX) sees both forms on a shared line.
    both = people["moderation"]
    both.groups.add(people["clx"].groups.get())
    line = create_commitment(event, payer="partage", user=people["clx_editor"])
    client.force_login(both)
    html = client.get(reverse("commitments:inspect", args=(line.pk,))).content.decode()
    soup = WagtailTestUtils.get_soup(html)
    forms = [
        form
        for form in soup.find_all("form")
        if form.find("input", attrs={"name": "party"})
    ]
    assert len(forms) == 2
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for form in forms:
        for label in form.find_all("label", attrs={"for": True}):
            # Clicking a label ticks a field of its own form only.
            assert form.find(id=label["for"]) is not None, label
    response = post_commitment_decision(client, line, "town", "give", "Ville : oui.")
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.town_status, line.clx_status) == ("given", "pending")


# -- Approving from the dashboard -----------------------------------------------------


def test_dashboard_approval_says_which_line_waits_then_confirms(client, event, people):
    line = create_commitment(event, user=people["clx"])
    submit(client, event, people["clx"])
    task_state = event.current_workflow_task_state
    client.force_login(people["moderation"])
    dashboard = reverse("wagtailadmin_home")
    assert "Fête du libre" in client.get(dashboard).content.decode()
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(event.pk, "approve", task_state.pk)
    )
    waiting = (
        "« Viennoiseries et boissons » (60,00 €) attend l'autorisation de la ville"
    )
    # « Approuver »: the dashboard posts a plain form with `next`.
    response = client.post(url, {"next": dashboard}, follow=True)
    assert response.redirect_chain[-1][0] == dashboard
    assert waiting in messages_text(response)
    # « Approuver avec un commentaire »: the modal posts by XMLHttpRequest and
    # follows the `redirect` of its answer.
    response = client.post(
        url,
        {"comment": "Parfait.", "next": dashboard},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert response.json()["step"] == "success"
    page = client.get(response.json()["redirect"])
    assert waiting in messages_text(page)
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_IN_PROGRESS
    assert not is_live(event)

    post_commitment_decision(client, line, "town", "give", "Budget 2026.")
    response = client.post(
        url,
        {"comment": "Parfait.", "next": dashboard},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    page = client.get(response.json()["redirect"])
    assert "« Fête du libre » est approuvé et publié." in messages_text(page)
    assert is_live(event)


# -- Changing what was agreed ----------------------------------------------------------


def edit_line(client, line, **changes):
    url = reverse("commitments:edit", args=(line.pk,))
    response = client.get(url, follow=True)
    if response.redirect_chain:
        return response  # refused, with the reason on the line's page
    data, _ = edit_data_for(client, url)
    data.update(changes)
    return client.post(url, data, HTTP_ORIGIN="http://testserver", follow=True)


def test_clx_cannot_change_an_agreed_line_of_a_live_event(client, agenda, people):
    live = draft_event(agenda, people["clx"], title="Install party")
    line = create_commitment(live, amount="45.00", user=people["clx_editor"])
    finance.authorise_town(line, people["moderation"], "Accordé à 45 €.")
    live.get_latest_revision().publish(user=people["moderation"])
    client.force_login(people["clx_editor"])
    response = edit_line(client, line, amount="80.00")
    assert "le montant accordé reste en vigueur" in messages_text(response)
    line.refresh_from_db()
    assert (line.amount, line.town_status) == (Decimal("45.00"), "given")
    assert is_live(live)
    # The line's page says « Accordé » with the agreed amount, and offers no
    # edit link to CLX.
    html = client.get(reverse("commitments:inspect", args=(line.pk,))).content.decode()
    assert "45,00 €" in html and "Modifier cette dépense" not in html
    # A complement is a new line: the médiathèque is asked by mail.
    mail.outbox.clear()
    client.get(reverse("commitments:add") + f"?event={live.pk}")
    response = add_line(
        client,
        people["clx_editor"],
        live,
        label="Complément viennoiseries",
        amount="35.00",
        payer="ville",
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "moderation@atelier-wimille.test" in message.to
    assert "Complément viennoiseries (35,00 €)" in message.subject
    # The médiathèque may change the agreed line: asked again, logged.
    client.force_login(people["moderation"])
    edit_line(client, line, amount="80.00")
    line.refresh_from_db()
    assert (line.amount, line.town_status) == (Decimal("80.00"), "pending")
    assert line.decisions.last().kind == "changed"


def test_a_line_stays_on_its_event_and_every_change_asks_again(
    client, agenda, event, people
):
    other = draft_event(agenda, people["clx"], title="Atelier réparation")
    line = create_commitment(event, payer="partage", user=people["clx_editor"])
    client.force_login(people["clx_editor"])
    edit_line(client, line, event=str(other.pk), label="Clés USB")
    line.refresh_from_db()
    assert (line.event_id, line.label) == (event.pk, "Clés USB")
    assert not other.commitments.exists()
    with pytest.raises(finance.PublishBlocked):
        event.get_latest_revision().publish(user=people["moderation"])
    # Agreed, then its quote replaced: both agreements are asked again.
    finance.authorise_town(line, people["moderation"])
    finance.agree_clx(line, people["clx"])
    quote = SimpleUploadedFile("devis-2.pdf", b"%PDF-1.4 autre devis")
    edit_line(client, line, document=quote)
    line.refresh_from_db()
    assert (line.town_status, line.clx_status) == ("pending", "pending")
    assert line.decisions.last().kind == "changed"
    assert line.decisions.last().user == people["clx_editor"]


def test_clx_cannot_change_a_line_the_mediatheque_proposed(client, event, people):
    line = create_commitment(event, amount="120.00", user=people["moderation"])
    for who in ("clx_editor", "clx"):
        client.force_login(people[who])
        response = edit_line(client, line, amount="1.00", payer="clx")
        assert "seule la médiathèque peut la modifier" in messages_text(response)
        line.refresh_from_db()
        assert (line.amount, line.payer) == (Decimal("120.00"), "ville")
        response = client.post(
            reverse("commitments:edit", args=(line.pk,)),
            {"label": "x", "amount": "1.00", "payer": "clx"},
        )
        line.refresh_from_db()
        assert line.payer == "ville"


# -- Who is told -----------------------------------------------------------------------


def links_in(message):
    return mail_links(message)


def test_proposing_and_deciding_mail_the_right_people_with_links_that_open(
    client, event, people, settings
):
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    mail.outbox.clear()
    response = add_line(
        client, people["clx_editor"], event, label="Clés USB « Emmaüs »"
    )
    assert response.status_code == 302
    (proposed,) = mail.outbox
    assert set(proposed.to) == {
        "administration@atelier-wimille.test",
        "moderation@atelier-wimille.test",
        "redaction@atelier-wimille.test",
        "clx-coordination@atelier-wimille.test",
    }
    assert "Clés USB « Emmaüs » (96,00 €)" in proposed.subject
    (link,) = links_in(proposed)
    for who in ("moderation", "clx"):
        client.force_login(people[who])
        page = client.get(link)
        assert page.status_code == 200, who
        assert "Clés USB « Emmaüs »" in page.content.decode()

    line = Line.objects.get()
    mail.outbox.clear()
    client.force_login(people["moderation"])
    post_commitment_decision(client, line, "town", "refuse", "Budget épuisé.")
    (refused,) = mail.outbox
    assert "Dépense refusée par la ville" in refused.subject
    assert "Budget épuisé." in refused.body
    assert "clx-redaction@atelier-wimille.test" in refused.to
    assert "moderation@atelier-wimille.test" not in refused.to  # who decided
    client.force_login(people["clx_editor"])
    assert client.get(links_in(refused)[0]).status_code == 200
