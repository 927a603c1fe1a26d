"""The public address check: phones can only join through an address they can reach."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from survey.core.public_address import AddressLevel, address_check, is_loopback
from survey.core.settings import Settings
from survey.participation.sessions import join_address, join_url

WARNING, HINT = AddressLevel.WARNING, AddressLevel.HINT


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),  # Debian's own name for this computer
        ("localhost", True),
        ("LOCALHOST.", True),
        ("app.localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("voice.example.org", False),
        ("", False),
        (None, False),
    ],
)
def test_public_address_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("public_url", "host", "port", "level", "words"),
    [
        # Listening beyond this computer, but the QR code says 127.0.0.1: phones fail.
        ("http://127.0.0.1:8501", "0.0.0.0", 8501, WARNING, "phones in the room cannot join"),
        ("http://localhost:8501", "192.168.1.20", 8501, WARNING, "only this computer can open"),
        ("http://[::1]:8501", "::", 8501, WARNING, "every network interface"),
        ("http://127.0.0.1:8501", None, 8501, WARNING, "YOUTHVOICE_PUBLIC_URL"),
        ("http://127.0.0.1:8501/", "", 8501, WARNING, "the room's network"),
        # Both on this computer: fine for a try-out, a hint for a room.
        ("http://127.0.0.1:8501", "127.0.0.1", 8501, HINT, "YOUTHVOICE_HOST=0.0.0.0"),
        ("http://localhost:8501", "::1", 8501, HINT, "fine for trying it out"),
        # ...but a link to another port opens nothing at all.
        ("http://127.0.0.1:8501", "127.0.0.1", 8600, WARNING, "YOUTHVOICE_PORT=8501"),
        ("http://localhost", "127.0.0.1", 8501, WARNING, "port 80"),
        # A public name with a server on loopback only: right behind a proxy here.
        ("https://voice.example.org", "127.0.0.1", 8501, HINT, "through a proxy"),
        ("http://192.168.1.20:8501", "localhost", 8501, HINT, "YOUTHVOICE_HOST=0.0.0.0"),
    ],
)
def test_public_address_check_names_the_problem_and_the_setting(
    public_url, host, port, level, words
):
    check = address_check(public_url, host, port)
    assert check is not None and check.level == level
    assert words in check.message
    assert public_url in check.message


@pytest.mark.parametrize(
    ("public_url", "host", "port"),
    [
        ("http://192.168.1.20:8501", "0.0.0.0", 8501),
        ("http://192.168.1.20:8501", "192.168.1.20", 8501),
        ("https://voice.example.org", "0.0.0.0", 8501),  # a proxy maps 443 to 8501
        ("https://voice.example.org/", "10.0.0.5", 8502),
    ],
)
def test_public_address_check_passes_an_address_phones_can_reach(public_url, host, port):
    assert address_check(public_url, host, port) is None


def test_public_address_behind_a_proxy_loopback_is_right_but_a_loopback_link_is_not():
    assert address_check("https://voice.example.org", "127.0.0.1", 8501, behind_proxy=True) is None
    check = address_check("http://127.0.0.1:8501", "0.0.0.0", 8501, behind_proxy=True)
    assert check is not None and check.level == WARNING


def test_public_address_join_link_and_join_at_use_the_public_url():
    assert join_url("https://voice.example.org/", "K7MX4P") == (
        "https://voice.example.org/?code=K7MX4P"
    )
    assert join_address("https://voice.example.org/") == "voice.example.org"
    assert join_address("http://192.168.1.20:8501") == "192.168.1.20:8501"


def test_public_address_settings_read_host_and_port(monkeypatch):
    settings = Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 8501)
    monkeypatch.setenv("YOUTHVOICE_HOST", "0.0.0.0")
    monkeypatch.setenv("YOUTHVOICE_PORT", "8080")
    assert (Settings().host, Settings().port) == ("0.0.0.0", 8080)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("YOUTHVOICE_PORT", "0"),
        ("YOUTHVOICE_PORT", "70000"),
        ("YOUTHVOICE_HOST", "0.0.0.0; rm -rf"),
        ("YOUTHVOICE_PUBLIC_URL", "voice.example.org"),  # no scheme: a QR code to nowhere
        ("YOUTHVOICE_PUBLIC_URL", "javascript:alert(1)"),
    ],
)
def test_public_address_settings_refuse_a_bad_value(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError):
        Settings()
