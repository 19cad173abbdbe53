"""Production settings refuse to start without their secrets and pass
Django's deployment checklist when given them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory):
    """A folder with one Open Badges 3.0 signing key, as `badge_keys new`
    leaves it."""
    folder = tmp_path_factory.mktemp("ob3-keys")
    (folder / "20261206T120000000000Z.pem").write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return folder


@pytest.fixture(autouse=True)
def _keys_env(keys_dir, monkeypatch):
    monkeypatch.setenv("BADGES_OB3_KEYS_DIR", str(keys_dir))


def _manage(*args, env_extra=None, drop=()):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "WAGTAILADMIN_BASE_URL": "https://atelier.example.org",
        **(env_extra or {}),
    }
    # The browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE for the test process
    # (Playwright's loop); a production server never has it.
    drop = (*drop, "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in env.items() if k not in drop}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_stops_start_up_with_one_clear_line():
    result = _manage("check", env_extra={"ALLOWED_HOSTS": "x"}, drop=("SECRET_KEY",))
    assert result.returncode != 0
    assert "SECRET_KEY manquant" in result.stderr.splitlines()[0]


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "SECRET_KEY": "k" * 20 + "ZmJ8t!Lq2@x#Vw4$Nr6%Pd8^Hs0&Yb3*",
            "ALLOWED_HOSTS": "atelier.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_accounts_are_refused_under_production_settings(tmp_path):
    result = _manage(
        "load_demo_data",
        env_extra={
            "SECRET_KEY": "k" * 50,
            "ALLOWED_HOSTS": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        },
    )
    assert result.returncode != 0
    assert "Comptes de démonstration refusés" in result.stderr


def test_missing_base_url_stops_start_up():
    result = _manage(
        "check",
        env_extra={"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "x"},
        drop=("WAGTAILADMIN_BASE_URL",),
    )
    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL manquant" in result.stderr


def test_missing_badge_keys_folder_stops_start_up():
    result = _manage(
        "check",
        env_extra={"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "x"},
        drop=("BADGES_OB3_KEYS_DIR",),
    )
    assert result.returncode != 0
    assert "BADGES_OB3_KEYS_DIR manquant" in result.stderr


def test_check_deploy_refuses_a_badge_keys_folder_without_a_key(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        env_extra={
            "SECRET_KEY": "k" * 20 + "ZmJ8t!Lq2@x#Vw4$Nr6%Pd8^Hs0&Yb3*",
            "ALLOWED_HOSTS": "atelier.example.org",
            "BADGES_OB3_KEYS_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "resources.E002" in result.stderr + result.stdout
    assert "badge_keys new" in result.stderr + result.stdout
