"""File storage behind one interface: a local folder by default (an S3-compatible store later)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Protocol

from lingxi.config import get_settings


class Storage(Protocol):
    def put(self, tenant_id: uuid.UUID, data: bytes) -> tuple[str, str]: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...


class LocalStorage:
    def __init__(self, root: Path):
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("storage key escapes the storage folder")
        return path

    def put(self, tenant_id: uuid.UUID, data: bytes) -> tuple[str, str]:
        """Stores ``data``; returns (key, sha256)."""
        digest = hashlib.sha256(data).hexdigest()
        key = f"{tenant_id.hex}/{uuid.uuid4().hex}"
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return key, digest

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def get_storage() -> Storage:
    return LocalStorage(get_settings().files_dir)
