"""Encryption of provider API keys at rest.

``SecretBox`` is the interface; ``LocalKeyBox`` (the default) seals with AES-256-GCM under a key
derived by HKDF-SHA256 from ``DATA_DIR/ai-secrets.key`` (32 random bytes made on first use, mode
0600). The associated data binds each ciphertext to its tenant and purpose, so a sealed key copied
to another tenant's row does not open. A KMS-backed box (issue 7) implements the same two methods
and is installed with ``set_secret_box``; tokens carry a scheme prefix so both can coexist.
"""

from __future__ import annotations

import base64
import os
import secrets
import threading
from pathlib import Path
from typing import Protocol

from lingxi.config import get_settings

SCHEME = "lxs1"


class SecretBox(Protocol):
    def seal(self, plaintext: str, *, context: str) -> str: ...
    def open(self, token: str, *, context: str) -> str: ...


class SecretUnreadable(RuntimeError):
    """The sealed value cannot be opened (wrong key file, wrong context, or tampered)."""


class LocalKeyBox:
    def __init__(self, key_file: Path):
        self.key_file = key_file
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def _derived_key(self) -> bytes:
        with self._lock:
            if self._key is None:
                from cryptography.hazmat.primitives import hashes
                from cryptography.hazmat.primitives.kdf.hkdf import HKDF

                if not self.key_file.exists():
                    self.key_file.parent.mkdir(parents=True, exist_ok=True)
                    fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "wb") as fh:
                        fh.write(secrets.token_bytes(32))
                material = self.key_file.read_bytes()
                self._key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"lingxi-ai-secrets-v1").derive(material)
            return self._key

    def seal(self, plaintext: str, *, context: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(12)
        sealed = AESGCM(self._derived_key()).encrypt(nonce, plaintext.encode(), context.encode())
        return f"{SCHEME}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, token: str, *, context: str) -> str:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        scheme, _, body = token.partition(":")
        if scheme != SCHEME:
            raise SecretUnreadable(f"unknown secret scheme {scheme!r}")
        raw = base64.urlsafe_b64decode(body.encode())
        try:
            return AESGCM(self._derived_key()).decrypt(raw[:12], raw[12:], context.encode()).decode()
        except InvalidTag as exc:
            raise SecretUnreadable("the sealed secret does not open with this key and context") from exc


_box: SecretBox | None = None
_box_lock = threading.Lock()


def get_secret_box() -> SecretBox:
    global _box
    with _box_lock:
        if _box is None:
            _box = LocalKeyBox(get_settings().data_dir / "ai-secrets.key")
        return _box


def set_secret_box(box: SecretBox | None) -> None:
    """Install another implementation (a KMS); ``None`` returns to the local key file."""
    global _box
    with _box_lock:
        _box = box
