"""Settings, read from ``LINGXI_*`` environment variables and an optional ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LINGXI_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("./var"), description="Folder for the SQLite database, files and indexes.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; postgresql://... selects PostgreSQL. Default: SQLite in data_dir."
    )
    redis_url: str | None = Field(None, description="redis://... moves the job queue to Redis.")
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str | None = Field(
        None, description="Key for signing and token hashing; generated into data_dir/secret.key when unset."
    )
    worker: bool = Field(True, description="Run the background worker inside `lingxi serve`.")
    worker_threads: int = 2
    db_pool_size: int = 10
    sqlite_inline_reads: bool = Field(
        True, description="Run SQLite reads in the event loop's thread instead of a thread per connection (faster)."
    )
    sqlite_inline_writes: bool = Field(
        True,
        description="Run SQLite write transactions in the event loop's thread, one at a time per process, holding "
        "SQLite's lock only for their own work (faster under load; false: a thread per connection).",
    )
    session_idle_minutes: int = Field(60, description="Default idle timeout of a login session.")
    session_max_hours: int = Field(24 * 7, description="Absolute lifetime of a login session.")
    cookie_secure: bool = Field(False, description="Mark cookies Secure (set true behind HTTPS).")
    demo_password: str | None = Field(None, description="Password of the demo users; generated when unset.")
    ai_warm_up: bool = Field(True, description="Load the offline AI models in the background when the server starts.")
    log_level: str = "INFO"
    log_json: bool = True
    max_upload_mb: int = 50
    page_size_default: int = 50
    page_size_max: int = 500

    @property
    def sqlalchemy_url(self) -> str:
        url = self.database_url or f"sqlite+aiosqlite:///{(self.data_dir / 'lingxi.db').resolve()}"
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        if url.startswith("postgresql://"):
            url = "postgresql+asyncpg://" + url[len("postgresql://") :]
        if url.startswith("sqlite:///"):
            url = "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    def resolved_secret(self) -> str:
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret.key"
        if not path.exists():
            import secrets

            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
