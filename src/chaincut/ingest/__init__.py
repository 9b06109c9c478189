"""The interchange importer: files in, validated rows into the lake, precise rejects out."""

from chaincut.ingest.importer import ImportResult, TableCounts, import_folder
from chaincut.ingest.source import SourceError, SourceFile, discover
from chaincut.ingest.stage import Reject

__all__ = [
    "ImportResult",
    "Reject",
    "SourceError",
    "SourceFile",
    "TableCounts",
    "discover",
    "import_folder",
]
