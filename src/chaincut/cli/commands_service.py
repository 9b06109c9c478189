"""`chaincut serve` and `chaincut users ...`: run the service, manage its users and tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from chaincut.cli.app import (
    EXIT_BAD_INPUT,
    HomeOption,
    JsonOption,
    Typer,
    app,
    console,
    err_console,
    fail,
    print_json,
    settings_from,
)
from chaincut.store.enums import Role

# the store (SQLAlchemy, Alembic) is imported inside the commands: `chaincut --help` imports this

users_app = Typer(help="Manage the service's users and their API tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@app.command()
def serve(
    home: HomeOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8000,
    demo_users: Annotated[
        bool, typer.Option("--demo-users", help="Create one user per role and print their tokens.")
    ] = False,
    max_upload_mb: Annotated[
        int,
        typer.Option("--max-upload-mb", min=1, help="Largest upload to /v1/imports, in MiB."),
    ] = 1024,
) -> None:
    """Serve the JSON API (/v1) and the console (/console) until Ctrl-C."""
    from chaincut.service.server import serve as run

    run(
        settings_from(home),
        host,
        port,
        demo_users=demo_users,
        echo=console.print,
        import_max_bytes=max_upload_mb << 20,
    )


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name (letters, digits, _ . @ -).")],
    role: Annotated[Role, typer.Option("--role", help="public, bank, telecom, analyst or admin.")],
    institution: Annotated[
        str | None, typer.Option("--institution", help="The bank's institution (bank users).")
    ] = None,
    home: HomeOption = None,
    json_out: JsonOption = False,
) -> None:
    """Add a user and print its first API token (shown once)."""
    from chaincut.store import AlreadyExists, open_store, user

    with open_store(settings_from(home).resolved_store_url) as store, store.session() as s:
        try:
            user.create_user(s, username, role, institution)
        except (ValueError, AlreadyExists) as exc:
            fail(str(exc), code=EXIT_BAD_INPUT)
        token = user.issue_token(s, username)
    if json_out:
        print_json({"username": username, "role": role.value, "token": token})
    else:
        console.print(f"added {username} ({role.value}); token (shown once):")
        print(token)


@users_app.command("list")
def users_list(home: HomeOption = None, json_out: JsonOption = False) -> None:
    """List users, their roles and whether they hold a token."""
    from chaincut.store import open_store, user

    with (
        open_store(settings_from(home).resolved_store_url) as store,
        store.session(readonly=True) as s,
    ):
        rows = [
            {
                "username": u.username,
                "role": u.role.value,
                "institution": u.institution,
                "token": u.token_id is not None,
                "disabled": u.disabled_at is not None,
            }
            for u in user.list_users(s)
        ]
    if json_out:
        print_json(rows)
        return
    for r in rows:
        flags = ("disabled" if r["disabled"] else "") or ("token" if r["token"] else "no token")
        where = f" @ {r['institution']}" if r["institution"] else ""
        console.print(f"{r['username']:<24} {r['role']:<8}{where}  [{flags}]")


@users_app.command("token")
def users_token(
    username: Annotated[str, typer.Argument(help="Whose token to (re)issue.")],
    home: HomeOption = None,
) -> None:
    """Issue a new API token for a user, replacing the old one (which stops working at once);
    prints it once, and when it expires."""
    from chaincut.store import NotFound, open_store, user

    settings = settings_from(home)
    with open_store(settings.resolved_store_url) as store, store.session() as s:
        try:
            found = user.get_user(s, username)
        except NotFound as exc:
            fail(str(exc), code=EXIT_BAD_INPUT, hint="chaincut users list")
        if found.disabled_at is not None:
            fail(f"user {username!r} is disabled", code=EXIT_BAD_INPUT)
        token = user.issue_token(s, username)
        expires = user.token_expires_at(found, timedelta(days=settings.token_lifetime_days))
    print(token, flush=True)  # first, whatever a terminal interleaves
    # on stderr: scripts read the token alone from stdout
    err_console.print(
        f"valid until {expires:%Y-%m-%d %H:%M} UTC (CHAINCUT_TOKEN_LIFETIME_DAYS="
        f"{settings.token_lifetime_days}); issue a new one before then: chaincut users token "
        f"{username}"
    )


@users_app.command("disable")
def users_disable(
    username: Annotated[str, typer.Argument(help="Who to disable.")],
    home: HomeOption = None,
) -> None:
    """Disable a user and revoke its token (the record stays for the audit log)."""
    from chaincut.store import NotFound, open_store, user

    with open_store(settings_from(home).resolved_store_url) as store, store.session() as s:
        try:
            user.disable_user(s, username)
        except NotFound as exc:
            fail(str(exc), code=EXIT_BAD_INPUT, hint="chaincut users list")
    console.print(f"disabled {username}")
