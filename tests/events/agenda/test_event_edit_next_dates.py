"""The event edit form shows the dates its saved recurrence produces, so an
editor sees at once whether the rule says what they meant."""

import datetime

import time_machine
from django.urls import reverse

from events.models import EventIndexPage
from portal import roles
from tests.factories.events import create_event, paris


@time_machine.travel(paris(2027, 1, 10, 12), tick=False)
def test_next_five_dates_and_cancelled_ones_across_dst(client, home_page, role_user):
    editor = role_user(roles.MEDIATHEQUE_EDITORS)
    agenda = EventIndexPage.objects.get()
    # First Saturday of each month, 9:30 — March 2027 crosses to summer time.
    event = create_event(
        agenda,
        title="Petit dej' du libre",
        start=paris(2027, 1, 2),
        recurrence="monthly_weekday",
        cancellations=[(datetime.date(2027, 4, 3), "fermeture de la médiathèque")],
    )
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content
    html = html.decode()
    assert "Prochaines dates" in html
    assert "Les 5 prochaines dates" in html
    dates = ["6 février 2027", "6 mars 2027", "1 mai 2027", "5 juin 2027"]
    for day in [*dates, "3 juillet 2027"]:
        assert day in html
    # Past date, and the sixth one, are not listed.
    assert "2 janvier 2027" not in html
    assert "7 août 2027" not in html
    # 9 h 30 before and after the change to summer time.
    assert html.count("9\u00a0h\u00a030") >= 5
    cancelled = html[html.index("Dates annulées à venir") :]
    assert "3 avril 2027" in cancelled
    assert "fermeture de la médiathèque" in cancelled


def test_new_event_asks_to_save_first(client, home_page, role_user):
    client.force_login(role_user(roles.CLX_EDITORS))
    agenda = EventIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", agenda.pk])
    html = client.get(url).content.decode()
    assert "Enregistrez le brouillon : les prochaines dates" in html
