"""`/v1/imports`: upload a folder's interchange tables and import them as `chaincut import` does.

The upload is `multipart/form-data` with one or more files, each named like an interchange
table (`transactions.csv`, `accounts.parquet`, `calls.csv.gz`, ...). The files are written to a
temporary folder and handed to the importer (`chaincut.ingest.import_folder`): the same checks,
rejects with file, line, field and reason, idempotency and all-or-nothing commit. The lake is
taken for writing through the `LakeGate` (readers in this process wait, and wait for it), then
what depends on it is refreshed: the trace index and the cached scores.

Limits: at most `max_bytes` in all (413 beyond, checked while the body streams in, so nothing
larger is ever written to disk) and `MAX_FILES` files; a name that is not a table is a 400 that
names the file.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile

from chaincut.service.deps import Analyst, State
from chaincut.service.errors import ApiError
from chaincut.services.context import Principal, ServiceState
from chaincut.store import audit

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/imports", tags=["imports"])

#: default bound of one upload (all files together), and of the number of files
MAX_BYTES = 1 << 30
MAX_FILES = 64
MAX_REJECTS = 1000
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")

_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": "interchange tables named <table>.csv[.gz] or "
                        "<table>.parquet (see docs/data-format.md)",
                    }
                },
            }
        }
    },
}


class _Limited:
    """An ASGI `receive` that refuses a body larger than `limit` bytes as it streams in."""

    def __init__(self, receive: Callable[[], Awaitable[MutableMapping[str, Any]]], limit: int):
        self.receive, self.limit, self.seen = receive, limit, 0

    async def __call__(self) -> MutableMapping[str, Any]:
        message = await self.receive()
        self.seen += len(message.get("body", b""))
        if self.seen > self.limit:
            raise ApiError(413, f"the upload is larger than {self.limit:,} bytes", "files")
        return message


def upload_name(filename: str | None) -> str:
    """The base name of an uploaded file, checked to be a plain file name."""
    base = re.split(r"[/\\]", filename or "")[-1]
    if not _NAME.fullmatch(base):
        raise ApiError(
            400, f"file {filename!r}: not a plain file name like transactions.csv", "files"
        )
    return base


@router.post(
    "",
    response_model=None,
    openapi_extra={"requestBody": _BODY},
    responses={
        413: {"description": "the upload is too large"},
        415: {"description": "the body is not multipart/form-data"},
        503: {"description": "the lake is locked by another process (an import runs there)"},
    },
)
async def upload(request: Request, who: Analyst, state: State) -> dict[str, Any]:
    """Import uploaded interchange tables; the answer is `chaincut import --json`'s.

    `imported` counts new rows per table, `rejected` lists bad rows with file, line, field and
    reason (the good rows are imported). Uploading the same files again imports nothing.
    """
    limit = getattr(request.app.state, "chaincut_import_max_bytes", MAX_BYTES)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(415, "send the tables as multipart/form-data files", "Content-Type")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"the upload is larger than {limit:,} bytes", "files")
    limited = Request(request.scope, _Limited(request.receive, limit))
    with tempfile.TemporaryDirectory(prefix="chaincut-upload-") as tmp:
        folder = Path(tmp)
        try:
            form = await limited.form(max_files=MAX_FILES, max_fields=16)
        except ApiError:
            raise
        except Exception as exc:  # python-multipart's and starlette's parse errors
            raise ApiError(400, f"cannot read the upload: {exc}", "files") from exc
        try:
            names = await _save(form.multi_items(), folder)
        finally:
            await form.close()
        return await anyio.to_thread.run_sync(_import, state, who, folder, names)


async def _save(items: list[tuple[str, Any]], folder: Path) -> list[str]:
    names: list[str] = []
    for field, value in items:
        if not isinstance(value, UploadFile):
            raise ApiError(400, f"unexpected form field {field!r}: send only files", field)
        name = upload_name(value.filename)
        if name in names:
            raise ApiError(400, f"file {name!r} is uploaded twice", "files")
        names.append(name)
        with (folder / name).open("wb") as out:
            while chunk := await value.read(1 << 20):
                out.write(chunk)
    if not names:
        raise ApiError(400, "no files: upload one or more interchange tables", "files")
    return names


def _import(state: ServiceState, who: Principal, folder: Path, names: list[str]) -> dict[str, Any]:
    from chaincut.ingest import SourceError, discover, import_folder
    from chaincut.lake.catalog import LakeBusyError

    _, ignored = discover(folder)
    if ignored:
        odd = ", ".join(sorted(p.name for p in ignored))
        raise ApiError(
            400,
            f"not an interchange table: {odd}; name files <table>.csv or <table>.parquet with "
            "<table> one of accounts, persons, transactions, calls, messages, reports, labels",
            "files",
        )
    try:
        with state.lake.gate.writing():
            state.lake.close()
            result = import_folder(state.settings, folder, keep_rejects=MAX_REJECTS)
    except SourceError as exc:
        raise ApiError(400, str(exc), "files") from exc
    except LakeBusyError as exc:
        raise ApiError(503, f"the lake is busy (an import in another process?): {exc}") from exc
    _refresh(state, any(result.imported.values()) or any(c.updated for c in result.tables.values()))
    out = result.as_dict(MAX_REJECTS)
    prefix = str(folder) + "/"
    out["source"] = "upload: " + ", ".join(names)
    rejected: list[dict[str, Any]] = out["rejected"]  # type: ignore[assignment]
    for reject in rejected:  # the temporary folder means nothing to the client
        reject["file"] = str(reject["file"]).removeprefix(prefix)
        reject["reason"] = str(reject["reason"]).replace(prefix, "")
    with state.store.session() as s:
        audit.record(s, who.username, "import", "lake", result.import_id, None, {
            "files": names, "imported": result.imported, "rejected": result.rejected_count,
        })  # fmt: skip
    return out


def _refresh(state: ServiceState, changed: bool) -> None:
    """After an import that changed the lake: the trace index, and no stale scores."""
    if not changed:
        return
    state.scores.clear()
    try:
        from chaincut.trace import IndexUnavailable, ensure_index
    except ImportError:
        return
    try:
        with state.lake.gate.reading():
            ensure_index(state.settings)
    except IndexUnavailable as exc:
        log.warning("trace index not rebuilt after the upload: %s", exc)
