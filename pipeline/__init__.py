"""baocao: read Vietnamese administrative documents and turn them into evidence."""

from pipeline.model import SCHEMA_VERSION, Document

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "Document", "__version__"]
