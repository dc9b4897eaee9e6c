"""Structure parsing: header, body sections and closing of a repaired text."""

from __future__ import annotations

from pipeline.ingest.closing import parse_closing
from pipeline.ingest.header import parse_header
from pipeline.ingest.lines import split_lines
from pipeline.ingest.sections import parse_sections
from pipeline.model import Document


def parse_structure(doc: Document) -> Document:
    """Fill the header fields, sections, recipients, signature and appendices of ``doc``.

    The header parser says where the body begins; the closing parser, reading from the
    end, says where it stops; the section tree is built in between.
    """
    lines = split_lines(doc.text)
    body_start = parse_header(doc, lines)
    body_end = parse_closing(doc, lines, body_start)
    doc.body_span = (body_start, body_end)
    doc.sections = parse_sections(doc.text, body_start, body_end)
    return doc
