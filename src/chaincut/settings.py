"""Settings, read from the environment with the CHAINCUT_ prefix (pydantic-settings).

| setting | env | default |
|---|---|---|
| home | CHAINCUT_HOME | ./chaincut-home |
| engine | CHAINCUT_ENGINE | duckdb |
| store_url | CHAINCUT_STORE_URL | sqlite:///HOME/store.db |
| duckdb_threads | CHAINCUT_DUCKDB_THREADS | all cores |
| duckdb_memory_limit | CHAINCUT_DUCKDB_MEMORY_LIMIT | a quarter of RAM (at least 1 GiB) |
| spark_master | CHAINCUT_SPARK_MASTER | local[2] |
| phone_region | CHAINCUT_PHONE_REGION | CN |
| token_lifetime_days | CHAINCUT_TOKEN_LIFETIME_DAYS | 90 |
| forwarded_allow_ips | CHAINCUT_FORWARDED_ALLOW_IPS | none (no proxy trusted) |

Every DuckDB connection chaincut opens starts from `Settings.duckdb_config()`: the threads and
memory limit above, and `HOME/lake.duckdb.tmp` as the folder DuckDB spills to beyond the limit.
"""

from __future__ import annotations

import contextlib
import os
import re
from enum import StrEnum
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: what DuckDB accepts as a memory limit: a number and a unit ("4GB", "512 MiB", "25%")
_MEMORY = re.compile(
    r"\s*\d+(\.\d+)?\s*(%|[KMGT]i?B?|B|bytes?|(kilo|mega|giga|tera)bytes?)\s*", re.IGNORECASE
)

#: where Linux states a cgroup's (container's) memory limit, v2 then v1
_CGROUP_LIMITS = (
    Path("/sys/fs/cgroup/memory.max"),
    Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
)


def available_memory() -> int | None:
    """Bytes of memory this process may use: the machine's RAM, or its cgroup's limit when that
    is lower (a container); None when neither can be read."""
    found: list[int] = []
    with contextlib.suppress(ValueError, OSError, AttributeError):
        found.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    for path in _CGROUP_LIMITS:
        try:
            text = path.read_text().strip()
        except OSError:
            continue
        if text.isdigit():  # "max" (v2) means no limit
            found.append(int(text))
    return min(found) if found else None


def default_duckdb_memory_limit() -> str | None:
    """A quarter of the available memory, at least 1 GiB, as DuckDB's `memory_limit` ("4096MiB").

    DuckDB's own default, 80 % of RAM, got a 100 M-row import OOM-killed on a machine doing
    other work; a quarter leaves room for the rest and DuckDB spills to disk beyond it.
    None when the memory cannot be read (DuckDB then keeps its own default).
    """
    total = available_memory()
    if total is None:
        return None
    return f"{max(total // 4, 1 << 30) >> 20}MiB"


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


class Settings(BaseSettings):
    """Where chaincut keeps its data and which engine runs the lake's jobs."""

    model_config = SettingsConfigDict(env_prefix="CHAINCUT_", extra="ignore")

    home: Path = Field(default=Path("chaincut-home"), description="folder of the lake and store")
    engine: EngineName = Field(default=EngineName.duckdb, description="lake engine")
    store_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the store (default: SQLite in home)"
    )
    duckdb_threads: int | None = Field(default=None, description="DuckDB worker threads")
    duckdb_memory_limit: str | None = Field(
        default=None, description="DuckDB memory limit (default: a quarter of RAM)"
    )
    spark_master: str = Field(default="local[2]", description="Spark master URL")
    phone_region: str = Field(
        default="CN",
        description="region (ISO 3166 code) a phone number written without a country code is in",
    )
    token_lifetime_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="days an API token is valid after it is issued (`chaincut users token`)",
    )
    forwarded_allow_ips: str | None = Field(
        default=None,
        description="proxies whose X-Forwarded-For/-Proto are trusted (comma-separated IPs or "
        "networks, '*' for any); default: none, the client is the connection's peer",
    )

    @field_validator("phone_region")
    @classmethod
    def _region(cls, value: str) -> str:
        if not re.fullmatch(r"\s*[A-Za-z]{2}\s*", value):
            raise ValueError(f"{value!r} is not a two-letter region code such as CN or HK")
        return value.strip().upper()

    @field_validator("duckdb_memory_limit")
    @classmethod
    def _memory_limit(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not _MEMORY.fullmatch(value):
            raise ValueError(f"{value!r} is not a memory size such as 4GB, 512MiB or 25%")
        return value.strip()

    def duckdb_config(self) -> dict[str, str | bool | int | float | list[str]]:
        """The options every DuckDB connection chaincut opens starts with: the configured
        threads, the memory limit (`duckdb_memory_limit`, else `default_duckdb_memory_limit()`)
        and the spill folder `duckdb_temp_dir` beside the lake."""
        config: dict[str, str | bool | int | float | list[str]] = {
            "temp_directory": str(self.duckdb_temp_dir)
        }
        if self.duckdb_threads:
            config["threads"] = self.duckdb_threads
        limit = self.duckdb_memory_limit or default_duckdb_memory_limit()
        if limit:
            config["memory_limit"] = limit
        return config

    @property
    def lake_path(self) -> Path:
        return self.home / "lake.duckdb"

    @property
    def duckdb_temp_dir(self) -> Path:
        """Where DuckDB spills beyond its memory limit: `HOME/lake.duckdb.tmp`."""
        return Path(f"{self.lake_path}.tmp")

    @property
    def rejects_dir(self) -> Path:
        return self.home / "rejects"

    @property
    def spark_dir(self) -> Path:
        return self.home / "spark"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def resolved_store_url(self) -> str:
        if self.store_url:
            return self.store_url
        return f"sqlite:///{(self.home / 'store.db').resolve()}"


def load_settings(home: Path | None = None, engine: EngineName | None = None) -> Settings:
    """Settings from the environment, with explicit CLI values taking precedence."""
    overrides: dict[str, object] = {}
    if home is not None:
        overrides["home"] = home
    if engine is not None:
        overrides["engine"] = engine
    return Settings(**overrides)  # type: ignore[arg-type]
