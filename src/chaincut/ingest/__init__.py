"""The interchange importer: files in, validated rows into the lake, precise rejects out."""

from chaincut.ingest.importer import ImportResult, import_folder
from chaincut.ingest.merge import TableCounts
from chaincut.ingest.reader import Reject
from chaincut.ingest.source import SourceError, SourceFile, discover

__all__ = [
    "ImportResult",
    "Reject",
    "SourceError",
    "SourceFile",
    "TableCounts",
    "discover",
    "import_folder",
]
