"""`chaincut fraudlist add|remove|list|import`: manage the fraud list the self-check reads.

Every change is written to the audit log as done by `--by` (default `cli:<login name>`).
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chaincut.cli.app import (
    EXIT_BAD_INPUT,
    HomeOption,
    JsonOption,
    Typer,
    app,
    console,
    fail,
    print_json,
    settings_from,
)
from chaincut.store.enums import ListedKind, ListRisk, ListSource

if TYPE_CHECKING:
    from chaincut.services.context import Principal
    from chaincut.services.schemas import FraudEntryPublic
    from chaincut.store.tables import FraudListEntry

fraudlist_app = Typer(
    help="Manage the fraud list (numbers, links, domains, accounts, QQ and WeChat ids).",
    no_args_is_help=True,
)
app.add_typer(fraudlist_app, name="fraudlist")

ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Who does this, for the audit log (default: cli:<login name>)."),
]
SourceOption = Annotated[ListSource, typer.Option("--source", help="Where the entry comes from.")]
RiskOption = Annotated[
    ListRisk, typer.Option("--risk", help="high (confirmed) or medium (suspected).")
]
DaysOption = Annotated[
    int | None,
    typer.Option("--days", min=1, help="Expire after this many days (default: never)."),
]


def _by(by: str | None) -> str:
    if by:
        return by
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _expiry(days: int | None) -> datetime | None:
    return datetime.now(UTC) + timedelta(days=days) if days else None


def _row(e: FraudListEntry) -> dict[str, Any]:
    from chaincut.store.fraud_list import is_active

    return {
        "id": e.id, "kind": e.kind.value, "value": e.value, "source": e.source.value,
        "risk": e.risk.value, "reason": e.reason, "report_id": e.report_id,
        "institution": e.institution, "added_by": e.added_by, "added_at": e.added_at,
        "expires_at": e.expires_at, "active": is_active(e), "removed_at": e.removed_at,
        "removed_by": e.removed_by, "removal_reason": e.removal_reason,
    }  # fmt: skip


def _public_row(e: FraudEntryPublic) -> dict[str, Any]:
    row: dict[str, Any] = e.model_dump(mode="python")
    return row | {"kind": e.kind.value, "source": e.source.value, "risk": e.risk.value}


def _operator(actor: str) -> Principal:
    """Who runs the CLI: the installation's operator, with an administrator's scope."""
    from chaincut.services.context import Principal
    from chaincut.store.enums import Role

    return Principal(actor, Role.admin, None)


@fraudlist_app.command("add")
def add_command(
    kind: Annotated[ListedKind, typer.Argument(help="phone, url, domain, account, qq or wechat.")],
    value: Annotated[str, typer.Argument(help="The identifier (normalised: +86…, host/path).")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is listed.")],
    source: SourceOption = ListSource.analyst,
    risk: RiskOption = ListRisk.high,
    days: DaysOption = None,
    by: ByOption = None,
    home: HomeOption = None,
    json_out: JsonOption = False,
) -> None:
    """List one identifier (an entry already in force from the same source is refreshed)."""
    from pydantic import ValidationError

    from chaincut.services import fraud_list
    from chaincut.services.errors import ServiceError
    from chaincut.services.schemas import FraudEntryCreate
    from chaincut.store import open_store

    settings = settings_from(home)
    try:
        body = FraudEntryCreate(
            kind=kind, value=value, reason=reason, source=source, risk=risk,
            expires_at=_expiry(days),
        )  # fmt: skip
    except ValidationError as exc:
        fail(f"bad entry: {exc.errors()[0]['msg']}", code=EXIT_BAD_INPUT)
    with open_store(settings.resolved_store_url) as store, store.session() as s:
        try:
            entry, created = fraud_list.add_entry(s, _operator(_by(by)), body, settings)
        except ServiceError as exc:
            fail(exc.message, code=EXIT_BAD_INPUT)
    row = _public_row(entry)
    if json_out:
        print_json(row | {"created": created})
    else:
        console.print(f"{'listed' if created else 'refreshed'} #{row['id']}: {kind} {row['value']}")


@fraudlist_app.command("remove")
def remove_command(
    entry_id: Annotated[int, typer.Argument(help="The entry's id (see `fraudlist list`).")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is taken off.")],
    by: ByOption = None,
    home: HomeOption = None,
) -> None:
    """Take an entry off the list (it stays on record with who, when and why)."""
    from chaincut.services import fraud_list
    from chaincut.store import IllegalTransition, NotFound, open_store

    with open_store(settings_from(home).resolved_store_url) as store, store.session() as s:
        try:
            fraud_list.remove_entry(s, _operator(_by(by)), entry_id, reason)
        except (NotFound, IllegalTransition, ValueError) as exc:
            fail(str(exc), code=EXIT_BAD_INPUT, hint="chaincut fraudlist list --all")
    console.print(f"removed #{entry_id}")


@fraudlist_app.command("list")
def list_command(
    kind: Annotated[ListedKind | None, typer.Option("--kind", help="Only this kind.")] = None,
    value: Annotated[str | None, typer.Option("--value", help="Only this identifier.")] = None,
    source: Annotated[ListSource | None, typer.Option("--source", help="Only this source.")] = None,
    include_inactive: Annotated[
        bool, typer.Option("--all", help="Include expired and removed entries.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 100,
    by: ByOption = None,
    home: HomeOption = None,
    json_out: JsonOption = False,
) -> None:
    """List entries in force (newest first); the query is audited."""
    from chaincut.services import fraud_list
    from chaincut.services.errors import ServiceError
    from chaincut.store import open_store

    settings = settings_from(home)
    with open_store(settings.resolved_store_url) as store, store.session() as s:
        try:
            found = fraud_list.list_entries(
                s, _operator(_by(by)), "cli", settings, kind=kind, value=value, source=source,
                include_inactive=include_inactive, limit=limit,
            )  # fmt: skip
        except ServiceError as exc:
            fail(exc.message, code=EXIT_BAD_INPUT)
    rows = [_public_row(e) for e in found]
    if json_out:
        print_json(rows)
        return
    for r in rows:
        state = "" if r["active"] else " [inactive]"
        console.print(
            f"#{r['id']:<6} {r['kind']:<8} {r['value']:<24} {r['source']:<13} {r['risk']:<6}"
            f" {r['reason']}{state}",
            markup=False,
            soft_wrap=True,  # one entry a line, for grep and cut
        )


@fraudlist_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV: kind,value[,reason,risk,source,expires_at].")],
    reason: Annotated[
        str, typer.Option("--reason", help="Reason for lines that give none.")
    ] = "imported from a list",
    source: SourceOption = ListSource.analyst,
    risk: RiskOption = ListRisk.high,
    days: DaysOption = None,
    by: ByOption = None,
    home: HomeOption = None,
    json_out: JsonOption = False,
) -> None:
    """List every good line of a CSV file; bad lines are reported with line and field (exit
    code 2 when there were any). Importing the same file again changes nothing."""
    from chaincut.store import audit, fraud_list, open_store
    from chaincut.store.fraud_list_file import Problem, read_file

    try:
        entries, problems = read_file(file)
    except ValueError as exc:
        fail(str(exc), code=EXIT_BAD_INPUT)
    actor = _by(by)
    added = refreshed = 0
    with open_store(settings_from(home).resolved_store_url) as store, store.session() as s:
        for e in entries:
            try:
                _, created = fraud_list.add(
                    s, e.kind, e.value, source=e.source or source, reason=e.reason or reason,
                    added_by=actor, risk=e.risk or risk, expires_at=e.expires_at or _expiry(days),
                )  # fmt: skip
            except ValueError as exc:
                field = str(exc).split(":", 1)[0]
                problems.append(Problem(e.line, field, str(exc)))
                continue
            added += created
            refreshed += not created
        audit.record(s, actor, "fraud_list_import", "file", str(file), None,
                     {"added": added, "refreshed": refreshed, "rejected": len(problems)})  # fmt: skip
    problems.sort(key=lambda p: p.line)
    if json_out:
        print_json({
            "added": added, "refreshed": refreshed,
            "rejected": [{"line": p.line, "field": p.field, "message": p.message} for p in problems],
        })  # fmt: skip
    else:
        console.print(f"{added} listed, {refreshed} refreshed, {len(problems)} rejected")
        for p in problems[:50]:
            console.print(
                f"  {file}:{p.line}: {p.field}: {p.message}", markup=False, soft_wrap=True
            )
    if problems:
        raise typer.Exit(EXIT_BAD_INPUT)
