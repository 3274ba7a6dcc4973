"""Writing files that other processes read: each writer uses a temporary name of its own, then renames."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def private_tmp(path: Path, suffix: str = ".tmp") -> Path:
    """A temporary name next to ``path`` that no other process or thread uses (two API processes that
    train the same model at start would otherwise write, and rename away, each other's file)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{suffix}")
