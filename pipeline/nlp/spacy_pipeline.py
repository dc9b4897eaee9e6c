"""The extract stage as a spaCy pipeline, for researchers.

>>> from pipeline.nlp.spacy_pipeline import load_nlp
>>> nlp = load_nlp(use_pyvi=False)
>>> doc = nlp("Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2024 của UBND tỉnh, quý I/2024 đã tổ chức 15 hội nghị.")
>>> [(s.text, s.label_) for s in doc.spans["references"]]
[('12/KH-UBND', 'KH')]

Components (registered factories) write ``doc.spans``: ``baocao_references`` → ``"references"``,
``baocao_periods`` → ``"periods"``, ``baocao_agencies`` → ``"agencies"``, ``baocao_metrics`` →
``"metrics"``, ``baocao_findings`` → ``"findings"`` (label = category).  Each span also keeps
the extractor's record in ``span._.baocao``.  The default batch path (``baocao extract``) does not
use spaCy: it runs the same extractors on character offsets, without tokenisation.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import registry

if not Span.has_extension("baocao"):
    Span.set_extension("baocao", default=None)
if not Doc.has_extension("baocao_anchor"):
    Doc.set_extension("baocao_anchor", default=None)


@lru_cache(maxsize=8)
def _ingested(text: str) -> Any:
    from pipeline.ingest import ingest_text

    return ingest_text(text)


def _parsed(doc: Doc) -> Any:
    """The text ingested once (header, sections) for the components that need the document's
    structure; cached by text rather than stored on the Doc, which keeps ``doc.to_bytes()`` working."""
    return _ingested(doc.text)


def _split_at(doc: Doc, cuts: set[int]) -> None:
    """Split the tokens that ``cuts`` (character offsets) fall inside, keeping every span group.

    pyvi keeps ``"UBND."`` or a two-syllable word as one token; a span must still end where the
    extractor says.  Span groups hold token indices, so they are rebuilt from their characters.
    """
    inside = {}
    for tok in doc:
        a, b = tok.idx, tok.idx + len(tok.text)
        own = sorted(c - a for c in cuts if a < c < b)
        if own:
            inside[tok.i] = own
    if not inside:
        return
    saved = {
        key: [(s.start_char, s.end_char, s.label_, s._.baocao) for s in group] for key, group in doc.spans.items()
    }
    with doc.retokenize() as retok:
        for i, own in inside.items():
            tok = doc[i]
            bounds = [0, *own, len(tok.text)]
            orths = [tok.text[x:y] for x, y in zip(bounds, bounds[1:], strict=False)]
            retok.split(tok, orths, heads=[(tok, 0)] * len(orths))
    for key, rows in saved.items():
        spans = []
        for a, b, label, rec in rows:
            span = doc.char_span(a, b, label=label)
            if span is not None:
                span._.baocao = rec
                spans.append(span)
        doc.spans[key] = SpanGroup(doc, name=key, spans=spans)


def _spans(doc: Doc, key: str, items: list[dict[str, Any]], label_of: str) -> None:
    n = len(doc.text)
    found = [
        (int(it["span"][0]), int(it["span"][1]), it)
        for it in items
        if it.get("span") and 0 <= int(it["span"][0]) < int(it["span"][1]) <= n
    ]
    _split_at(doc, {x for a, b, _ in found for x in (a, b)})
    group = []
    for a, b, it in found:
        # After the split every extractor boundary is a token boundary; white space at an edge
        # (never a token of its own there) is what "expand" still absorbs.
        span = doc.char_span(a, b, label=str(it.get(label_of) or key), alignment_mode="expand")
        if span is None:
            continue
        span._.baocao = it
        group.append(span)
    doc.spans[key] = SpanGroup(doc, name=key, spans=group)


def _anchor(doc: Doc) -> dt.date | None:
    return doc._.baocao_anchor


@Language.component("baocao_references")
def references_component(doc: Doc) -> Doc:
    from pipeline.nlp.references import find_references

    _spans(doc, "references", find_references(doc.text, anchor=_anchor(doc)), "type")
    return doc


@Language.component("baocao_periods")
def periods_component(doc: Doc) -> Doc:
    from pipeline.nlp.periods import find_periods

    _spans(doc, "periods", find_periods(doc.text, anchor=_anchor(doc)), "kind")
    return doc


@Language.component("baocao_metrics")
def metrics_component(doc: Doc) -> Doc:
    from pipeline.nlp.metrics import find_metrics

    _spans(doc, "metrics", find_metrics(doc.text, anchor=_anchor(doc)), "kind")
    return doc


@Language.component("baocao_agencies")
def agencies_component(doc: Doc) -> Doc:
    from pipeline.nlp.agencies import context_from_document, find_agencies

    ctx = context_from_document(_parsed(doc))
    _spans(doc, "agencies", find_agencies(doc.text, context=ctx), "kind")
    return doc


@Language.component("baocao_findings")
def findings_component(doc: Doc) -> Doc:
    """Findings need the document's sections: ingest the text, classify, map spans back."""
    from pipeline.nlp.findings import find_findings

    parsed = _parsed(doc)
    items = []
    for f in find_findings(parsed):
        a, b = parsed.offsets.to_raw_span(tuple(f["span"]))
        items.append({**f, "span": [a, b]})
    _spans(doc, "findings", items, "category")
    return doc


COMPONENTS = ("baocao_references", "baocao_periods", "baocao_agencies", "baocao_metrics", "baocao_findings")


@registry.tokenizers("baocao.syllable_tokenizer.v1")
def make_syllable_tokenizer() -> Any:
    """Syllables, with punctuation split off as spaCy's rule-based tokenizer does.

    spaCy's own ``use_pyvi=False`` tokenizer splits on white space only, so ``"Nai,"`` is one
    token and a span ``"UBND tỉnh Đồng Nai"`` could only be given with its comma.
    """
    from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    def create(nlp: Language) -> Tokenizer:
        return Tokenizer(
            nlp.vocab,
            prefix_search=compile_prefix_regex(TOKENIZER_PREFIXES).search,
            suffix_search=compile_suffix_regex(TOKENIZER_SUFFIXES).search,
            infix_finditer=compile_infix_regex(TOKENIZER_INFIXES).finditer,
        )

    return create


def load_nlp(*, use_pyvi: bool = True, components: tuple[str, ...] = COMPONENTS) -> Language:
    """A blank Vietnamese spaCy pipeline (pyvi word segmentation) with our components.

    ``use_pyvi=False`` tokenizes syllables and punctuation instead (no pyvi): faster, and every
    extracted span still falls on token boundaries.
    """
    import spacy

    tokenizer: dict[str, Any] = (
        {"use_pyvi": True} if use_pyvi else {"@tokenizers": "baocao.syllable_tokenizer.v1"}
    )
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": tokenizer}})
    for name in components:
        nlp.add_pipe(name)
    return nlp
