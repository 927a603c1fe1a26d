"""One settings object, read from the environment (and `.env`), with safe defaults.

`DATABASE_URL` picks the database (SQLite file under `var/` by default); every other
setting is `YOUTHVOICE_<NAME>`, e.g. `YOUTHVOICE_SMALL_NUMBER_THRESHOLD=10`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


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
    retention_free_text_months: int = 24
    sign_in_max_failures: int = 5
    sign_in_lockout_minutes: int = 15
    # Where young people reach the app: join links and QR codes point here.
    public_url: str = "http://127.0.0.1:8501"
    session_code_days: int = 7  # a session's join code works this long
    open_survey_allowed: bool = True  # the survey without a session code
    session_responses_per_minute: int = 40  # a whole class can send at once; a bot cannot
    responses_per_browser: int = 3  # one phone cannot flood a session
    failed_joins_per_browser: int = 10  # wrong codes before a browser must wait
    failed_joins_per_minute: int = 60  # wrong codes from everyone, before all must wait
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
