"""Build the theme pipeline: spacy.blank("en") + textcat_multilabel + the codebook rules.

The classifier is spaCy's bag-of-words text classifier, but reading NORM instead of ORTH:
"PARK", "park", "nt" and "n't" then share features with "park" and "not", and codebook
spellings ("stn") share them with their word ("station"). Unigrams and bigrams in 2**15
hashed buckets keep the saved model small (~4.5 MB for 33 themes) and fast to load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, cast

import numpy
import spacy
from spacy.attrs import NORM  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.ml.extract_ngrams import extract_ngrams
from spacy.ml.models.textcat import NEG_VALUE, resize_and_set_ref
from spacy.pipeline.textcat_multilabel import MultiLabel_TextCategorizer
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, with_cpu
from thinc.layers.resizable import resize_linear_weighted
from thinc.types import Floats2d

from nlp import rules as _rules  # noqa: F401  (registers the rule component factory)
from nlp.rules import FACTORY

RULES_NAME = "theme_rules"
TEXTCAT_NAME = "textcat_multilabel"
TEXTCAT_FACTORY = "youthvoice_textcat_multilabel"
MODEL_CONFIG: dict[str, Any] = {
    "@architectures": "youthvoice.TextCatBOWNorm.v1",
    "ngram_size": 2,
    "length": 2**15,
}
# "park.Then" written without a space is two words: split a full stop between words.
GLUED_FULL_STOP = r"(?<=[a-zA-Z]{2})\.(?=[a-zA-Z]{2})"
TOKENIZER = "youthvoice.Tokenizer.v1"
# Loading a saved pipeline builds its tokenizer this way, also a pipeline saved when the
# full-stop rule was added after creation (nlp.after_creation), which made the tokenizer
# add spaCy's ~1,300 special cases a second time (~50 ms of every load).
LOAD_OVERRIDES: dict[str, Any] = {
    "nlp.tokenizer": {"@tokenizers": TOKENIZER},
    "nlp.after_creation": None,
}


@registry.architectures("youthvoice.TextCatBOWNorm.v1")
def build_bow_norm(
    ngram_size: int, length: int = 2**16, nO: int | None = None
) -> Model[list[Any], Floats2d]:
    """spacy.TextCatBOW.v3 for multi-label classes, with n-grams of NORM rather than ORTH."""
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    resizable_layer: Model[Floats2d, Floats2d] = resizable(
        sparse_linear,
        resize_layer=partial(resize_linear_weighted, fill_defaults={"b": NEG_VALUE, "W": 0}),
    )
    with Model.define_operators({">>": chain}):
        model = extract_ngrams(ngram_size, attr=NORM) >> resizable_layer
        model = with_cpu(model, model.ops)
        model = model >> with_cpu(Logistic(), model.ops)
    if nO is not None:
        model.set_dim("nO", cast(int, nO))
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = True
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model


class FastMultiLabelTextcat(MultiLabel_TextCategorizer):
    """spaCy's multi-label textcat, writing doc.cats from one list per doc (the stock
    set_annotations reads 33 numpy scalars per doc, a tenth of the pipeline's time), and
    scoring empty docs as 0 (bigram extraction fails on a batch that mixes them in)."""

    def predict(self, docs: Iterable[Doc]) -> Any:
        docs = list(docs)
        filled = [i for i, doc in enumerate(docs) if len(doc)]
        if len(filled) == len(docs):
            return super().predict(docs)
        scores = numpy.zeros((len(docs), len(self.labels)), dtype="f")
        if filled:
            predicted = super().predict([docs[i] for i in filled])
            scores[filled] = self.model.ops.to_numpy(predicted)
        return scores

    def set_annotations(self, docs: Iterable[Doc], scores: Any) -> None:
        rows = self.model.ops.to_numpy(scores).tolist()
        labels = self.labels
        for doc, row in zip(docs, rows, strict=True):
            doc.cats.update(zip(labels, row, strict=True))


@Language.factory(
    TEXTCAT_FACTORY,
    default_config={
        "model": MODEL_CONFIG,
        "threshold": 0.5,
        "scorer": {"@scorers": "spacy.textcat_multilabel_scorer.v2"},
    },
)
def make_fast_textcat(
    nlp: Language, name: str, model: Model, threshold: float, scorer: Callable | None
) -> FastMultiLabelTextcat:
    return FastMultiLabelTextcat(nlp.vocab, model, name, threshold=threshold, scorer=scorer)


@registry.tokenizers(TOKENIZER)
def glued_full_stop_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy's tokenizer for the language (spacy.Tokenizer.v1), also splitting "park.Then" at
    the full stop: built with that rule from the start, its special cases are added once."""

    def make_tokenizer(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        prefixes, suffixes = defaults.prefixes, defaults.suffixes
        infixes = [*(defaults.infixes or []), GLUED_FULL_STOP]
        return Tokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(prefixes).search if prefixes else None,
            suffix_search=compile_suffix_regex(suffixes).search if suffixes else None,
            infix_finditer=compile_infix_regex(infixes).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return make_tokenizer


@registry.callbacks("youthvoice.split_glued_full_stops.v1")
def split_glued_full_stops() -> Callable[[Language], Language]:
    """An after_creation callback: split "park.Then" at the full stop. Named in the config of
    pipelines saved before TOKENIZER; loading replaces it (LOAD_OVERRIDES)."""

    def customize(nlp: Language) -> Language:
        infixes = [*(nlp.Defaults.infixes or []), GLUED_FULL_STOP]
        tokenizer: Any = nlp.tokenizer
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        return nlp

    return customize


def build_pipeline(codebook_path: Path, *, with_model: bool = True) -> Language:
    """An uninitialised pipeline; `nlp.initialize()` reads and compiles the codebook."""
    # the tokenizer tweak lives in the config, so loading rebuilds it without reading the
    # tokenizer back from disk (which re-adds spaCy's ~1,300 special cases: 0.2 s)
    config = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}}
    nlp = spacy.blank("en", config=config)
    # rules first: their initialize teaches the tokenizer the codebook's spellings, which
    # the classifier's training examples must already see
    nlp.add_pipe(FACTORY, name=RULES_NAME)
    if with_model:
        nlp.add_pipe(TEXTCAT_FACTORY, name=TEXTCAT_NAME)
    nlp.config["initialize"]["components"][RULES_NAME] = {
        "rules": {"@misc": "youthvoice.codebook_rules.v1", "path": str(codebook_path)}
    }
    return nlp
