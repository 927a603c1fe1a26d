"""One settings object, read from the environment (and `.env`), with safe defaults.

`DATABASE_URL` picks the database (SQLite file under `var/` by default); every other
setting is `YOUTHVOICE_<NAME>`, e.g. `YOUTHVOICE_SMALL_NUMBER_THRESHOLD=10`.
"""

from __future__ import annotations

from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from survey.core.email_addresses import email_address

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YOUTHVOICE_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'youthvoice.db'}",
        validation_alias="DATABASE_URL",
    )
    data_dir: Path = PROJECT_ROOT / "data"
    models_dir: Path = PROJECT_ROOT / "var" / "models"
    timezone: str = "Europe/London"
    # A fresh install shows synthetic demo data; a real deployment sets this to false.
    demo_data: bool = True
    max_text_length: int = 5000
    small_number_threshold: int = 5
    # Free text (and quotes and evidence taken from it) is removed after this many months;
    # structured answers and themes are kept for trends.
    # At least 1: 0 would remove everything sent before today, a negative number all of it.
    retention_free_text_months: int = Field(default=24, ge=1)
    # Incident files uploaded on the import page are copied here while they are checked and
    # imported, then deleted (unset: the system's temporary folder). Partner extracts can be
    # sensitive: keep it on the same protected disk as the database.
    upload_dir: Path | None = None
    # The key of the keyed hashes kept by limits; every replica needs the same one. Unset:
    # made once in secret_key_file.
    secret_key: SecretStr | None = None
    secret_key_file: Path = PROJECT_ROOT / "var" / "secret_key"
    # Sign-in attempts per username from one network address, per minute / 15 minutes / day
    # (the waits grow), and from one address for any username per 15 minutes / day.
    sign_in_tries_per_minute: int = Field(default=5, ge=1)
    sign_in_tries_per_quarter_hour: int = Field(default=10, ge=1)
    sign_in_tries_per_day: int = Field(default=20, ge=1)
    sign_in_tries_per_address: int = Field(default=30, ge=1)  # per 15 minutes
    # A staff sign-in (survey/staff/sessions.py) ends after this many minutes without a page
    # run, and this many hours after signing in however busy (minutes may be a fraction).
    staff_idle_minutes: float = Field(default=30, gt=0)
    staff_session_hours: float = Field(default=12, gt=0)
    # Single sign-on through Streamlit's st.login (OpenID Connect, e.g. Microsoft Entra ID):
    # the provider's name, as in `[auth.NAME]` of .streamlit/secrets.toml. Unset: off. Who
    # gets which role: data/sso_roles.yaml (survey/staff/single_sign_on.py).
    sso_provider: str | None = Field(default=None, pattern=r"^[a-z0-9-]+$")
    # Where young people reach the app: join links, QR codes and alert emails point here.
    public_url: str = Field(default="http://127.0.0.1:8501", pattern=r"^https?://[^\s\"'<>/]+")
    # Where `make run` listens: 127.0.0.1 is this computer only; 0.0.0.0 (or this computer's
    # network address) lets phones on the room's network reach it. survey/core/
    # public_address.py warns when the two disagree (phones cannot open a 127.0.0.1 link).
    host: str = Field(default="127.0.0.1", pattern=r"^[A-Za-z0-9.:\-]+$")
    port: int = Field(default=8501, ge=1, le=65535)
    session_code_days: int = 7  # a session's join code works this long
    open_survey_allowed: bool = True  # the survey without a session code
    session_responses_per_minute: int = Field(default=40, ge=1)  # a class at once; not a bot
    # One phone (a random token in its browser, kept a day) cannot flood a session or the
    # open survey: answers per day, per session and for the open survey.
    responses_per_device: int = Field(default=3, ge=1)
    # Everyone together, per minute: protects the database from a flood.
    responses_per_minute_everyone: int = Field(default=600, ge=1)
    # Wrong join codes per 10 minutes from one phone, and from one network address (a
    # school's whole network shares one, so it is higher); a right code is not counted.
    wrong_codes_per_device: int = Field(default=10, ge=1)
    wrong_codes_per_address: int = Field(default=60, ge=1)
    # Behind a reverse proxy (nginx) every request comes from the proxy: trust the last
    # X-Forwarded-For entry it adds instead. Only set this when a proxy is in front.
    forwarded_for_trusted: bool = False
    live_refresh_seconds: int = 5  # the projected session screen
    # Where "Leave this site" (and the Escape key) on young people's pages sends the browser:
    # an everyday site that gives nothing away, replacing the page so Back does not return.
    quick_exit_url: str = Field(
        default="https://www.bbc.co.uk/weather", pattern=r"^https?://[^\s\"'<>]+$"
    )
    # Safeguarding alert emails (band "alert" only): through this SMTP server; no host, no
    # emails. They hold no free text and nothing about the young person: only that a new
    # alert needs the reader, its age and a link to it.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = True  # upgrade the connection with STARTTLS before signing in
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    # The sender's address (unset: youthvoice@ the host of public_url).
    smtp_from: str | None = None
    # Who is emailed: every active account with one of these roles and an email address
    # (comma-separated), the session's worker for a session's answer, and these addresses.
    alert_email_roles: Annotated[list[str], NoDecode] = ["safeguarding_lead"]
    alert_email_to: Annotated[list[str], NoDecode] = []
    # Working hours, for an alert's age ("raised 3 working hours ago") and when it is overdue.
    working_day_starts: time = time(9)
    working_day_ends: time = time(17)
    working_days: Annotated[list[str], NoDecode] = list(WEEKDAYS[:5])
    bank_holidays: Annotated[list[date], NoDecode] = []  # e.g. 2026-12-25,2026-12-28
    # An open alert is overdue (amber) after this many working hours, late (red) after the
    # second; a "check" item is overdue after a working day (a worker reads those daily).
    alert_overdue_working_hours: float = Field(default=4, gt=0)
    alert_late_working_hours: float = Field(default=24, gt=0)
    check_overdue_working_hours: float = Field(default=8, gt=0)

    @field_validator(
        "alert_email_roles", "alert_email_to", "working_days", "bank_holidays", mode="before"
    )
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("alert_email_roles")
    @classmethod
    def _known_roles(cls, roles: list[str]) -> list[str]:
        from survey.staff.permissions import Role

        known = [r.value for r in Role]
        wrong = [r for r in roles if r not in known]
        if wrong:
            raise ValueError(f"unknown role {wrong[0]!r}: use some of {known}")
        return roles

    @field_validator("alert_email_to")
    @classmethod
    def _addresses(cls, addresses: list[str]) -> list[str]:
        return [email_address(a) for a in addresses]

    @field_validator("smtp_from")
    @classmethod
    def _sender(cls, sender: str | None) -> str | None:
        return email_address(sender, display_name=True) if sender else None

    @field_validator("working_days")
    @classmethod
    def _weekdays(cls, days: list[str]) -> list[str]:
        days = [d.lower()[:3] for d in days]
        wrong = [d for d in days if d not in WEEKDAYS]
        if wrong:
            raise ValueError(f"unknown day {wrong[0]!r}: use some of {list(WEEKDAYS)}")
        return days

    @model_validator(mode="after")
    def _day_in_order(self) -> Settings:
        if self.working_day_ends <= self.working_day_starts:
            raise ValueError("working_day_ends must be after working_day_starts")
        return self

    @property
    def alert_emails_on(self) -> bool:
        return bool(self.smtp_host)

    @property
    def alert_email_sender(self) -> str:
        from urllib.parse import urlsplit

        return self.smtp_from or f"youthvoice@{urlsplit(self.public_url).hostname or 'localhost'}"

    @property
    def sso_roles_path(self) -> Path:
        return self.data_dir / "sso_roles.yaml"

    @property
    def staff_cookie_secure(self) -> bool:
        """The staff cookie is sent over HTTPS only when the app is reached over HTTPS."""
        return self.public_url.lower().startswith("https://")

    @property
    def questionnaire_path(self) -> Path:
        return self.data_dir / "questionnaire.yaml"

    @property
    def dimensions_path(self) -> Path:
        return self.data_dir / "dimensions.yaml"

    @property
    def codebook_path(self) -> Path:
        return self.data_dir / "codebook.yaml"

    @property
    def training_dir(self) -> Path:
        return self.data_dir / "training"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
