"""What the board's tables need to know besides the data: the vocabulary and the links
between themes and incidents, all read from the editable files in `data/`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from incidents.vocabulary import IncidentVocabulary, load_vocabulary, vocabulary_files
from nlp.codebook import Codebook, load_codebook
from survey.core.data_files import check_known, read_yaml, reloaded_on_change, validate_file
from survey.core.dimensions import Dimensions, check_codebook, check_name, load_dimensions
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
    """The theme-incident links; every theme, category and time band must exist."""
    links = validate_file(path, read_yaml(path), _LinksFile).links
    for theme, link in links.items():
        where = f"links > {theme}"
        check_known(path, where, "theme", theme, codebook.theme_ids)
        for category in link.categories:
            check_known(path, f"{where} > categories", "category", category, vocabulary.categories)
        for band in link.time_bands:
            check_name(vocabulary.dimensions, "time_bands", path, f"{where} > time_bands", band)
    return links


LINKS_FILE = "theme_incident_links.yaml"


def load_board_context(settings: Settings) -> BoardContext:
    """The vocabulary, the codebook (checked against it) and the links, read now."""
    return _context(
        settings.data_dir,
        settings.dimensions_path,
        settings.codebook_path,
        settings.small_number_threshold,
    )


def cached_board_context(settings: Settings) -> BoardContext:
    """`load_board_context` by the loading rule: read again when one of its files changes."""
    return _cached_context(
        settings.data_dir,
        settings.dimensions_path,
        settings.codebook_path,
        settings.small_number_threshold,
    )


def _context(
    data_dir: Path, dimensions_path: Path, codebook_path: Path, threshold: int
) -> BoardContext:
    vocabulary = load_vocabulary(data_dir, load_dimensions(dimensions_path))
    codebook = load_codebook(codebook_path)
    check_codebook(codebook, vocabulary.dimensions, dimensions_path)
    return BoardContext(
        dimensions=vocabulary.dimensions,
        theme_labels={t.id: t.label for t in codebook.themes},
        theme_strands={t.id: tuple(t.strands) for t in codebook.themes},
        category_labels={c: v.label for c, v in vocabulary.categories.items()},
        links=load_links(data_dir / LINKS_FILE, codebook, vocabulary),
        threshold=threshold,
        strand_labels={s.id: s.label for s in vocabulary.dimensions.strands},
    )


def board_context_files(settings: Settings) -> list[Path]:
    """The files the board context is read from."""
    return _context_files(
        settings.data_dir,
        settings.dimensions_path,
        settings.codebook_path,
        settings.small_number_threshold,
    )


def _context_files(
    data_dir: Path, dimensions_path: Path, codebook_path: Path, threshold: int
) -> list[Path]:
    return [dimensions_path, codebook_path, *vocabulary_files(data_dir), data_dir / LINKS_FILE]


_cached_context = reloaded_on_change(_context_files)(_context)
