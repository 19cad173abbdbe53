"""/sante/: a small JSON for the proxy and monitoring, 200 when the
database, the cache and the task queue work, 503 otherwise; never cached,
no personal data, not in the sitemap."""

import datetime
import json

import pytest
import time_machine
from django.core.mail import send_mail
from django.utils import timezone

from portal.models import OutgoingMail

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthy_instance_answers_200_with_its_checks(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "tasks"}
    assert all(check["ok"] for check in body["checks"].values())


def test_head_works_and_post_does_not(client):
    response = client.head("/sante/")
    assert response.status_code == 200
    assert response.content == b""
    assert client.post("/sante/").status_code == 405


def test_queue_with_a_fresh_task_is_healthy_and_reports_its_age(client, settings):
    settings.TASKS = DB_TASKS
    send_mail("Objet", "Texte", None, ["camille@exemple.fr"])
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30)):
        response = client.get("/sante/")
    assert response.status_code == 200
    tasks = json.loads(response.content)["checks"]["tasks"]
    assert tasks["pending"] >= 1  # the mail (and Wagtail's own index task)
    assert 29 <= tasks["oldest_pending_age_seconds"] <= 60
    assert "camille" not in response.content.decode()


def test_a_queue_nobody_works_makes_it_503(client, settings):
    settings.TASKS = DB_TASKS
    send_mail("Objet", "Texte", None, ["camille@exemple.fr"])
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.PENDING
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20)):
        response = client.get("/sante/")
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]
    body = json.loads(response.content)
    assert body["status"] == "erreur"
    assert body["checks"]["tasks"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert "camille" not in response.content.decode()


def test_a_cache_that_keeps_nothing_makes_it_503(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    response = client.get("/sante/")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["cache"] == {"ok": False}


def test_a_cache_server_down_makes_it_503(client, settings):
    # Nothing listens on this loopback port: the Redis client fails.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = client.get("/sante/")
    assert response.status_code == 503
    cache = json.loads(response.content)["checks"]["cache"]
    assert cache["ok"] is False and cache["error"]


def test_not_in_the_sitemap(client, home_page):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>" in sitemap
    assert "/sante/" not in sitemap
