"""Running the service with uvicorn: what `chaincut serve` and the demo call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import uvicorn

from chaincut.service.app import create_app
from chaincut.service.demo import describe, seed_demo_users
from chaincut.service.routers.imports import MAX_BYTES as MAX_UPLOAD_BYTES
from chaincut.settings import Settings
from chaincut.store import open_store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(
    settings: Settings,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    demo_users: bool = False,
    echo: Callable[[str], None] = print,
    import_max_bytes: int = MAX_UPLOAD_BYTES,
) -> None:
    """Serve the API and the console until interrupted; with `demo_users`, create one user per
    role first and `echo` the address and their tokens. `import_max_bytes` bounds one upload
    to `/v1/imports`."""
    app = create_app(settings, import_max_bytes=import_max_bytes)
    url = f"http://{host}:{port}"
    if demo_users:
        with open_store(settings.resolved_store_url) as store:
            echo(describe(seed_demo_users(store), url))
    else:
        echo(f"chaincut console: {url}/console   API: {url}/v1   OpenAPI: {url}/docs")
    uvicorn.run(
        app, host=host, port=port, log_level="info", access_log=False, **proxy_options(settings)
    )


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for forwarded headers: trusted only from the proxies named in
    `CHAINCUT_FORWARDED_ALLOW_IPS`. uvicorn by itself trusts `X-Forwarded-For` from 127.0.0.1,
    so any local client (or a proxy on the same host that passes the header through) could
    pick its own address and so its own rate limit; with no proxy named, the headers are
    ignored and the client is the connection's peer."""
    allowed = (settings.forwarded_allow_ips or "").strip()
    if not allowed:
        return {"proxy_headers": False, "forwarded_allow_ips": ""}
    return {"proxy_headers": True, "forwarded_allow_ips": allowed}
