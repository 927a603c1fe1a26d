"""One settings object, read from the environment (and `.env`), with safe defaults.

`DATABASE_URL` picks the database (SQLite file under `var/` by default); every other
setting is `YOUTHVOICE_<NAME>`, e.g. `YOUTHVOICE_SMALL_NUMBER_THRESHOLD=10`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    # Where young people reach the app: join links and QR codes point here.
    public_url: str = "http://127.0.0.1:8501"
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
