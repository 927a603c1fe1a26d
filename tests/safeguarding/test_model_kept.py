"""The safeguarding classifier is trained once per content of its files and kept in the
models folder, so a new process loads it instead of training it (about 1.4 s on every
start, and on every `youthvoice tag`)."""

from __future__ import annotations

from survey.core.settings import get_settings
from survey.safeguarding import classifier
from survey.safeguarding.disclosures import _cached_model, load_cues, load_model, normalise

TEXTS = [
    "my stepdad comes in my room at night and i cant tell anyone",
    "got killed so many times on fortnite last night lol",
    "no point in anything anymore, they'd be better off without me",
]


def test_a_kept_model_scores_exactly_as_the_one_just_trained(tmp_path, monkeypatch):
    monkeypatch.setenv("YOUTHVOICE_MODELS_DIR", str(tmp_path))
    get_settings.cache_clear()
    _cached_model.cache_clear()
    book = load_cues(get_settings().data_dir / "safeguarding_cues.yaml")
    trained = load_model(book)
    [kept] = tmp_path.glob("safeguarding-*.npz")
    loaded = classifier.load(kept, book.vocab)
    for text in TEXTS:
        assert loaded.predict(normalise(text)) == trained.predict(normalise(text))
    _cached_model.cache_clear()
    assert load_model(book).size == trained.size  # the next process loads the kept one
    assert list(tmp_path.glob("safeguarding-*.npz")) == [kept]
    get_settings.cache_clear()
