from __future__ import annotations

import pytest

from incidents.vocabulary import IncidentVocabulary, vocabulary_from_settings
from survey.core.settings import Settings


@pytest.fixture(scope="session")
def vocabulary() -> IncidentVocabulary:
    """The shipped dimensions and incident mapping files."""
    return vocabulary_from_settings(Settings())
