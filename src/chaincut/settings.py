"""Settings, read from the environment with the CHAINCUT_ prefix (pydantic-settings).

| setting | env | default |
|---|---|---|
| home | CHAINCUT_HOME | ./chaincut-home |
| engine | CHAINCUT_ENGINE | duckdb |
| store_url | CHAINCUT_STORE_URL | sqlite:///HOME/store.db |
| duckdb_threads | CHAINCUT_DUCKDB_THREADS | all cores |
| duckdb_memory_limit | CHAINCUT_DUCKDB_MEMORY_LIMIT | DuckDB's default (80 % of RAM) |
| spark_master | CHAINCUT_SPARK_MASTER | local[2] |
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    duckdb_memory_limit: str | None = Field(default=None, description="DuckDB memory limit")
    spark_master: str = Field(default="local[2]", description="Spark master URL")

    @property
    def lake_path(self) -> Path:
        return self.home / "lake.duckdb"

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
