from __future__ import annotations

import io

from sqlalchemy import func
from sqlmodel import select

from cli.main import main
from incidents.models import Incident
from survey.core.models import Response, User


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
