"""Is a free-text answer English enough for the tagger and the safeguarding rules to read?

The themes and the disclosure cues are English. An answer in Polish, Urdu or Welsh would be
stored with no themes and no flag, as if it said nothing; instead it goes to a person (the
check queue), with the language named. Text too short to tell ("Ashford", "idk") is read as
English: a place name or a shrug is not a language problem.

Two signals, both local (py3langid ships its model inside its package; nothing is fetched):
the share of the answer's words that are English (the redaction word list of ordinary English
words, plus young people's text-speak in `data/languages/english_text_speak.txt`), and
py3langid's guess with its probability.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from survey.core.data_files import read_lines, reloaded_on_change
from survey.core.settings import get_settings
from survey.privacy.redaction_lexicon import load_lexicon

TEXT_SPEAK_FILE = Path("languages") / "english_text_speak.txt"
MIN_LETTERS = 12  # below this, no language can be told reliably
CLEARLY_ENGLISH = 0.8  # this share of English words: English, whatever the identifier says
ENGLISH_SHARE = 0.5  # ...or half, when the identifier is not confident of another language
CONFIDENT = 0.9
NAMED_ABOVE = 0.3  # py3langid's probability above which its guess is given as the language
NOT_IDENTIFIED = "a language not identified"
_SENTENCE_END = re.compile(r"[.!?\n]+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Names for the languages most spoken in English homes besides English (ONS census 2021)
# and their neighbours; any other is shown by its ISO 639 code.
LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "cs": "Czech", "cy": "Welsh",
    "de": "German", "el": "Greek", "es": "Spanish", "et": "Estonian", "fa": "Persian",
    "fr": "French", "ga": "Irish", "gd": "Scottish Gaelic", "gu": "Gujarati", "hi": "Hindi",
    "hu": "Hungarian", "it": "Italian", "ku": "Kurdish", "lt": "Lithuanian", "lv": "Latvian",
    "ne": "Nepali", "nl": "Dutch", "pa": "Punjabi", "pl": "Polish", "ps": "Pashto",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "so": "Somali",
    "sq": "Albanian", "ta": "Tamil", "ti": "Tigrinya", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "zh": "Chinese",
}  # fmt: skip


def unread_language(text: str) -> str | None:
    """None when the answer can be machine-read (English, or too short to tell); else the
    language it seems to be in, in words, for the person who will read it.

    Each sentence is judged on its own: a disclosure in Polish after an English sentence
    must not hide behind it."""
    for sentence in _SENTENCE_END.split(text):
        language = _sentence_language(sentence)
        if language is not None:
            return language
    return None


def _sentence_language(text: str) -> str | None:
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    # Capitalised words are mostly names and places (Margate, Pentagon): no language in them.
    words = [w.lower() for w in _WORD.findall(text) if not w[0].isupper() or w.isupper()]
    if not words:
        return None
    share = _english_share(words)
    if share >= CLEARLY_ENGLISH:  # most answers: no need to load the identifier at all
        return None
    language, probability = _identifier().classify(text)
    # Slang-heavy English fools the identifier; a confident guess on words that are not
    # mostly English does not.
    if language == "en" or (probability < CONFIDENT and share >= ENGLISH_SHARE):
        return None
    return LANGUAGE_NAMES.get(language, language) if probability >= NAMED_ABOVE else NOT_IDENTIFIED


def _english_share(words: list[str]) -> float:
    english = english_words(get_settings().data_dir)
    return sum(w in english or w.replace("'", "") in english for w in words) / len(words)


@reloaded_on_change(lambda data_dir: [data_dir / TEXT_SPEAK_FILE])
def _text_speak(data_dir: Path) -> frozenset[str]:
    return frozenset(word.lower() for word in read_lines(data_dir / TEXT_SPEAK_FILE))


def english_words(data_dir: Path) -> frozenset[str]:
    """Ordinary English words and young people's text-speak, lower case."""
    return _combined(load_lexicon(data_dir).common, _text_speak(data_dir))


@lru_cache(maxsize=4)
def _combined(common: frozenset[str], text_speak: frozenset[str]) -> frozenset[str]:
    return common | text_speak


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # Loaded on first use (about half a second), then shared: it is read-only.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
