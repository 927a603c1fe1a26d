from __future__ import annotations

import io

from sqlalchemy import func
from sqlmodel import select

from cli.main import main
from incidents.models import Incident
from survey.core.models import Response, User
from survey.core.settings import get_settings


def test_cli_prepare_loads_demo_data_once(app_database, engine, db, capsys):
    assert main(["prepare"]) == 0
    out = capsys.readouterr().out
    assert "Loaded 600 synthetic demo responses" in out
    assert "synthetic demo incidents" in out
    assert main(["prepare"]) == 0
    assert "Loaded" not in capsys.readouterr().out
    assert db.exec(select(func.count()).select_from(Response)).one() == 600
    sources = set(db.exec(select(Response.source)).all())
    assert sources == {"demo"}


def test_cli_prepare_no_demo_leaves_database_empty(app_database, db):
    assert main(["prepare", "--no-demo"]) == 0
    assert db.exec(select(func.count()).select_from(Response)).one() == 0
    assert db.exec(select(func.count()).select_from(Incident)).one() == 0


def test_cli_create_user_reads_password_from_stdin(app_database, db, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a good long password\n"))
    assert main(["create-user", "--role", "admin", "--username", "Ada", "--password-stdin"]) == 0
    assert "Created admin account 'ada'" in capsys.readouterr().out
    assert db.exec(select(User.role)).one() == "admin"


def test_cli_create_user_refuses_a_short_password(app_database, db, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["create-user", "--role", "worker", "--username", "sam", "--password-stdin"]) == 2
    assert "at least 12 characters" in capsys.readouterr().err
    assert db.exec(select(User)).first() is None


def test_cli_prepare_warns_when_phones_cannot_reach_the_join_link(
    app_database, theme_model_dir, monkeypatch, capsys
):
    monkeypatch.setenv("YOUTHVOICE_HOST", "0.0.0.0")
    get_settings.cache_clear()
    assert main(["prepare", "--no-demo"]) == 0
    printed = capsys.readouterr()
    assert "`make run` listens on 0.0.0.0:8501" in printed.out
    assert printed.err.startswith("WARNING: Join links and QR codes point to http://127.0.0.1")
    assert "phones in the room cannot join" in printed.err
    monkeypatch.setenv("YOUTHVOICE_PUBLIC_URL", "http://192.168.1.20:8501")
    get_settings.cache_clear()
    assert main(["prepare", "--no-demo"]) == 0
    printed = capsys.readouterr()
    assert "point to http://192.168.1.20:8501" in printed.out
    assert "WARNING" not in printed.err and "Hint" not in printed.out
    get_settings.cache_clear()


def test_cli_prepare_hints_when_only_this_computer_can_open_the_app(
    app_database, theme_model_dir, capsys
):
    assert main(["prepare", "--no-demo"]) == 0
    printed = capsys.readouterr()
    assert "Hint: Only this computer can open the app" in printed.out
    assert "YOUTHVOICE_HOST=0.0.0.0" in printed.out and not printed.err
