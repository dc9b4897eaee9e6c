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
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

if not Span.has_extension("baocao"):
    Span.set_extension("baocao", default=None)
if not Doc.has_extension("baocao_anchor"):
    Doc.set_extension("baocao_anchor", default=None)


def _spans(doc: Doc, key: str, items: list[dict[str, Any]], label_of: str) -> None:
    group = []
    for it in items:
        sp = it.get("span")
        if not sp:
            continue
        span = doc.char_span(int(sp[0]), int(sp[1]), label=str(it.get(label_of) or key), alignment_mode="expand")
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
    from pipeline.ingest import ingest_text
    from pipeline.nlp.agencies import context_from_document, find_agencies

    ctx = context_from_document(ingest_text(doc.text))
    _spans(doc, "agencies", find_agencies(doc.text, context=ctx), "kind")
    return doc


@Language.component("baocao_findings")
def findings_component(doc: Doc) -> Doc:
    """Findings need the document's sections: ingest the text, classify, map spans back."""
    from pipeline.ingest import ingest_text
    from pipeline.nlp.findings import find_findings

    parsed = ingest_text(doc.text)
    items = []
    for f in find_findings(parsed):
        a, b = parsed.offsets.to_raw_span(tuple(f["span"]))
        items.append({**f, "span": [a, b]})
    _spans(doc, "findings", items, "category")
    return doc


COMPONENTS = ("baocao_references", "baocao_periods", "baocao_agencies", "baocao_metrics", "baocao_findings")


def load_nlp(*, use_pyvi: bool = True, components: tuple[str, ...] = COMPONENTS) -> Language:
    """A blank Vietnamese spaCy pipeline (pyvi word segmentation) with our components.

    ``use_pyvi=False`` keeps spaCy's syllable tokenizer: faster, and enough for character spans.
    """
    import spacy

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": use_pyvi}}})
    for name in components:
        nlp.add_pipe(name)
    return nlp
