"""Chunking by structure: a chunk never crosses a heading, keeps its section's heading path, and
holds whole paragraphs, list items or table rows up to ``MAX_CHARS``; a longer paragraph is split
at sentence ends. Tiny sections are merged into the next one under the same parent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lingxi.knowledge.parsers import Block

MAX_CHARS = 420
MIN_CHARS = 25
_SENTENCES = re.compile(r"(?<=[。！？!?；;])|(?<=[.?!])\s+(?=[A-Z0-9\"'(\u4e00-\u9fff])")


@dataclass
class Chunk:
    heading: str
    text: str


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCES.split(text) if s and s.strip()]


def _pieces(block: Block) -> list[str]:
    if len(block.text) <= MAX_CHARS:
        return [block.text]
    out: list[str] = []
    buf = ""
    for sentence in split_sentences(block.text):
        while len(sentence) > MAX_CHARS:  # no sentence end for a long way: cut hard
            if buf:
                out.append(buf)
                buf = ""
            out.append(sentence[:MAX_CHARS])
            sentence = sentence[MAX_CHARS:]
        if buf and len(buf) + len(sentence) + 1 > MAX_CHARS:
            out.append(buf)
            buf = ""
        buf = f"{buf} {sentence}".strip() if buf and buf[-1].isascii() else buf + sentence
    if buf:
        out.append(buf)
    return out


def chunk_blocks(blocks: list[Block]) -> list[Chunk]:
    chunks: list[Chunk] = []
    path: list[tuple[int, str]] = []
    buf: list[str] = []
    carried_heading: str | None = None

    def heading() -> str:
        return " > ".join(t for _, t in path)

    def flush() -> None:
        nonlocal carried_heading
        text = "\n".join(buf).strip()
        buf.clear()
        if not text:
            return
        chunks.append(Chunk(heading=carried_heading or heading(), text=text))
        carried_heading = None

    for block in blocks:
        if block.kind == "heading":
            flush()
            while path and path[-1][0] >= block.level:
                path.pop()
            path.append((block.level, block.text[:200]))
            continue
        for piece in _pieces(block):
            size = sum(len(b) + 1 for b in buf)
            if buf and size + len(piece) > MAX_CHARS:
                flush()
            buf.append(piece)
    flush()
    if not chunks and path:  # headings only: index them so the document is still findable
        chunks.append(Chunk(heading="", text="\n".join(t for _, t in path)))
    return _merge_small(chunks)


def _merge_small(chunks: list[Chunk]) -> list[Chunk]:
    """A section shorter than MIN_CHARS joins its successor when both fit in one chunk."""
    out: list[Chunk] = []
    for chunk in chunks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(prev.text) < MIN_CHARS
            and len(prev.text) + len(chunk.text) + len(chunk.heading) + 2 <= MAX_CHARS
        ):
            label = prev.heading.rsplit(" > ", 1)[-1] if prev.heading else ""
            own = chunk.heading.rsplit(" > ", 1)[-1] if chunk.heading else ""
            merged = "\n".join(x for x in (label if label and label not in prev.text else "", prev.text, own if own != label else "", chunk.text) if x)
            out[-1] = Chunk(heading=_common_prefix(prev.heading, chunk.heading), text=merged)
        else:
            out.append(chunk)
    return out


def _common_prefix(a: str, b: str) -> str:
    pa, pb = a.split(" > "), b.split(" > ")
    common = []
    for x, y in zip(pa, pb, strict=False):
        if x != y:
            break
        common.append(x)
    return " > ".join(common)
