"""Running the service with uvicorn: what `chaincut serve` and the demo call."""

from __future__ import annotations

from collections.abc import Callable

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
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
