"""What `chaincut train ...` commands share: a labelled interchange folder, imported, as a lake."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from chaincut.cli.app import EXIT_BAD_INPUT, err_console, fail, settings_from
from chaincut.settings import EngineName

if TYPE_CHECKING:  # the lake engine pulls in Ibis: imported when a lake is opened
    from chaincut.lake.engine import Engine


@contextmanager
def labelled_lake(
    folder: Path, home: Path | None, engine: EngineName | None, what: str
) -> Iterator[Engine]:
    """Import `folder` into `home` (or a throw-away home) and open its lake engine.

    `what` names the model for messages (`accounts`, `numbers`). Bad folders and engine
    failures end the command with a clear error.
    """
    from chaincut.ingest import SourceError, import_folder
    from chaincut.lake.engine import EngineError, get_engine

    if not folder.is_dir():
        fail(
            f"{folder} is not a folder",
            code=EXIT_BAD_INPUT,
            hint=f"chaincut train {what} DIR --out MODEL, with DIR an interchange folder",
        )
    with tempfile.TemporaryDirectory(prefix="chaincut-train-") as scratch:
        settings = settings_from(home or Path(scratch) / "home", engine)
        try:
            imported = import_folder(settings, folder)
        except SourceError as error:
            fail(str(error), code=EXIT_BAD_INPUT)
        if imported.rejected_count:
            err_console.print(f"[yellow]{imported.rejected_count:,} rows rejected[/] on import")
        try:
            with get_engine(settings) as lake:
                yield lake
        except EngineError as error:
            fail(str(error))
