"""Processes that write the same cache file at once (two API processes training a model at start) each
write a temporary file of their own, so neither renames the other's away."""

from __future__ import annotations

import threading
from pathlib import Path

from lingxi.kit.files import private_tmp


def test_concurrent_writers_of_one_file_all_succeed(tmp_path: Path):
    target = tmp_path / "model.joblib"
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def write(n: int) -> None:
        try:
            start.wait()
            tmp = private_tmp(target)
            tmp.write_bytes(f"model {n}".encode() * 1000)
            tmp.replace(target)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert target.read_bytes().startswith(b"model ")
    assert [p.name for p in tmp_path.iterdir()] == ["model.joblib"]  # no temporary file left behind
