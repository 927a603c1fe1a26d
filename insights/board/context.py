"""What the board's tables need to know besides the data: the vocabulary and the links
between themes and incidents, all read from the editable files in `data/`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from incidents.vocabulary import IncidentVocabulary, vocabulary_from_settings
from nlp.codebook import Codebook, load_codebook
from survey.core.data_files import DataFileError, read_yaml, validate_file
from survey.core.dimensions import Dimensions
from survey.core.settings import Settings


class IncidentLink(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    categories: tuple[str, ...] = ()
    time_bands: tuple[str, ...] = ()


class _LinksFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    links: dict[str, IncidentLink]


@dataclass(frozen=True)
class BoardFilter:
    """What a board member chose: empty means everything."""

    districts: tuple[str, ...] = ()
    month_from: date | None = None  # first day of a month, inclusive
    month_to: date | None = None  # first day of a month, inclusive
    age_bands: tuple[str, ...] = ()
    strand: str | None = None


@dataclass(frozen=True)
class BoardContext:
    dimensions: Dimensions
    theme_labels: dict[str, str]
    theme_strands: dict[str, tuple[str, ...]]
    category_labels: dict[str, str]
    links: dict[str, IncidentLink]
    threshold: int
    strand_labels: dict[str, str] = field(default_factory=dict)

    def themes_in(self, strand: str | None) -> set[str]:
        if strand is None:
            return set(self.theme_labels)
        return {t for t, strands in self.theme_strands.items() if strand in strands}


def load_links(
    path: Path, codebook: Codebook, vocabulary: IncidentVocabulary
) -> dict[str, IncidentLink]:
    links = validate_file(path, read_yaml(path), _LinksFile).links
    bands = {b.id for b in vocabulary.dimensions.time_bands}
    for theme, link in links.items():
        unknown = (
            ([theme] if theme not in codebook.theme_ids else [])
            + [c for c in link.categories if c not in vocabulary.categories]
            + [b for b in link.time_bands if b not in bands]
        )
        if unknown:
            raise DataFileError(
                path, f"unknown theme, category or time band {unknown}", f"links > {theme}"
            )
    return links


def load_board_context(settings: Settings) -> BoardContext:
    codebook = load_codebook(settings.codebook_path)
    vocabulary = vocabulary_from_settings(settings)
    return BoardContext(
        dimensions=vocabulary.dimensions,
        theme_labels={t.id: t.label for t in codebook.themes},
        theme_strands={t.id: tuple(t.strands) for t in codebook.themes},
        category_labels={c: v.label for c, v in vocabulary.categories.items()},
        links=load_links(settings.data_dir / "theme_incident_links.yaml", codebook, vocabulary),
        threshold=settings.small_number_threshold,
        strand_labels={s.id: s.label for s in vocabulary.dimensions.strands},
    )
