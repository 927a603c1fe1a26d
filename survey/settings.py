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
    max_text_length: int = 5000
    small_number_threshold: int = 5
    sign_in_max_failures: int = 5
    sign_in_lockout_minutes: int = 15

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
