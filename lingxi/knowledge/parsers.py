"""Reading uploaded files into structured blocks (headings, paragraphs, list items, table rows).

PDF (pypdf), DOCX (python-docx), XLSX (openpyxl), HTML (BeautifulSoup on lxml), Markdown and plain
text. A file that cannot be read raises ``ParseError`` with a reason the user can act on.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

FORMATS = {
    ".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".html": "html", ".htm": "html",
    ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text", ".csv": "text", ".log": "text",
}
CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "text/markdown": "markdown",
    "text/plain": "text",
}
MAX_XLSX_ROWS = 20_000


class ParseError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class Block:
    kind: str  # heading | text | item | row
    text: str
    level: int = 0  # heading level, 1 = top


def detect_format(filename: str, content_type: str | None) -> str | None:
    name = filename.lower()
    for ext, fmt in FORMATS.items():
        if name.endswith(ext):
            return fmt
    return CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError("bad_encoding", "the text is neither UTF-8 nor GB18030")


_NUMBERED_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十百零\d]+[章节条部分篇]|[一二三四五六七八九十]+、|\d+(?:\.\d+){0,3}[.、\s]|[A-Z]\.|Chapter\s+\d+|Section\s+\d+)"
)
_SENTENCE_END = re.compile(r"[。！？!?；;:：，,]$")


def _looks_like_heading(line: str, next_line: str | None) -> int:
    """A heading level guessed from a plain-text line, or 0."""
    line = line.strip()
    if not line or len(line) > 60 or _SENTENCE_END.search(line):
        return 0
    if m := _NUMBERED_HEADING.match(line):
        return min(3, m.group().count(".") + 1) if m.group()[0].isdigit() else 1
    if next_line is not None and len(line) <= 30 and next_line.strip() and len(next_line.strip()) > len(line) * 1.5:
        return 2
    return 0


def parse_text(text: str) -> list[Block]:
    blocks: list[Block] = []
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    for n, para in enumerate(paragraphs):
        lines = [ln.strip() for ln in para.split("\n") if ln.strip()]
        buf: list[str] = []
        if (
            len(lines) == 1 and len(lines[0]) <= 40 and not _SENTENCE_END.search(lines[0])
            and not re.match(r"^(?:[-*•·]|\d+[.)、])\s", lines[0])
            and any(p.strip() for p in paragraphs[n + 1 :])
        ):
            blocks.append(Block("heading", lines[0], 1 if not blocks else 2))  # a title line standing alone
            continue
        for i, line in enumerate(lines):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            level = _looks_like_heading(line, nxt) if (i == 0 or not buf) else 0
            if level:
                if buf:
                    blocks.append(Block("text", " ".join(buf)))
                    buf = []
                blocks.append(Block("heading", line, level))
            elif re.match(r"^(?:[-*•·]|\d+[.)、])\s*", line):
                if buf:
                    blocks.append(Block("text", _join(buf)))
                    buf = []
                blocks.append(Block("item", line))
            else:
                buf.append(line)
        if buf:
            blocks.append(Block("text", _join(buf)))
    return blocks


def _join(lines: list[str]) -> str:
    """Join wrapped lines: no space between Chinese characters, a space between words."""
    out = lines[0]
    for line in lines[1:]:
        if out and line and (ord(out[-1]) > 0x2E80 or ord(line[0]) > 0x2E80):
            out += line
        else:
            out += " " + line
    return out


def parse_markdown(text: str) -> list[Block]:
    blocks: list[Block] = []
    buf: list[str] = []
    in_code = False

    def flush() -> None:
        if buf:
            blocks.append(Block("text", _join(buf)))
            buf.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if line.strip().startswith("```"):
            in_code = not in_code
            flush()
            continue
        if in_code:
            if line.strip():
                buf.append(line.strip())
            continue
        if m := re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line):
            flush()
            blocks.append(Block("heading", _strip_md(m.group(2)), len(m.group(1))))
        elif not line.strip():
            flush()
        elif re.match(r"^\s*\|?\s*:?-{3,}", line):
            continue  # table separator row
        elif line.lstrip().startswith("|"):
            flush()
            cells = [_strip_md(c.strip()) for c in line.strip().strip("|").split("|")]
            blocks.append(Block("row", " | ".join(c for c in cells if c)))
        elif m := re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$", line):
            flush()
            blocks.append(Block("item", _strip_md(m.group(1))))
        elif line.lstrip().startswith(">"):
            buf.append(_strip_md(line.lstrip()[1:].strip()))
        else:
            buf.append(_strip_md(line.strip()))
    flush()
    return blocks


def _strip_md(text: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", text)
    return text.strip()


def parse_html(data: bytes) -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "form", "svg", "iframe"]):
        tag.decompose()
    blocks: list[Block] = []
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    body = soup.body or soup
    seen_any = False
    for el in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote", "dt", "dd"]):
        if el.find_parent(["li", "tr", "pre", "blockquote", "p"]) is not None and el.name not in ("tr",):
            continue  # nested inside a block already taken whole
        if el.name == "tr":
            cells = [c.get_text(" ", strip=True) for c in el.find_all(["td", "th"])]
            text = " | ".join(c for c in cells if c)
            kind, level = "row", 0
        else:
            text = el.get_text(" ", strip=True)
            kind = "heading" if el.name[0] == "h" and el.name[1:].isdigit() else ("item" if el.name in ("li", "dt", "dd") else "text")
            level = int(el.name[1]) if kind == "heading" else 0
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            blocks.append(Block(kind, _tidy_cjk_spaces(text), level))
            seen_any = True
    if not seen_any:
        blocks = parse_text(body.get_text("\n", strip=True))
    if title and not (blocks and blocks[0].kind == "heading" and blocks[0].text == title):
        blocks.insert(0, Block("heading", title, 1))
    return blocks


def _tidy_cjk_spaces(text: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fff，。、；：！？）])\s+(?=[\u4e00-\u9fff，。、；：！？（])", "", text)


def parse_docx(data: bytes) -> list[Block]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for a bad file
        raise ParseError("unreadable_file", f"not a readable DOCX file ({type(exc).__name__})") from exc
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            m = re.match(r"^(?:Heading|标题)\s*(\d)", style)
            if m:
                blocks.append(Block("heading", text, int(m.group(1))))
            elif style == "Title":
                blocks.append(Block("heading", text, 1))
            elif "List" in style:
                blocks.append(Block("item", text))
            else:
                blocks.append(Block("text", text))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                if cells:
                    blocks.append(Block("row", " | ".join(cells)))
    return blocks


def parse_pdf(data: bytes) -> list[Block]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:  # noqa: BLE001
                raise ParseError("encrypted_file", "the PDF is password-protected") from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except ParseError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ParseError("unreadable_file", f"not a readable PDF file ({exc})"[:300]) from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise ParseError("no_text", "the PDF has no text layer (a scanned image?); OCR is not supported yet")
    return parse_text(text)


def parse_xlsx(data: bytes) -> list[Block]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ParseError("unreadable_file", f"not a readable XLSX file ({type(exc).__name__})") from exc
    blocks: list[Block] = []
    rows_seen = 0
    for ws in wb.worksheets:
        blocks.append(Block("heading", ws.title, 1))
        header: list[str] | None = None
        for row in ws.iter_rows(values_only=True):
            values = ["" if v is None else str(v).strip() for v in row]
            if not any(values):
                continue
            rows_seen += 1
            if rows_seen > MAX_XLSX_ROWS:
                break
            if header is None:
                header = values
                continue
            pairs = [f"{h}: {v}" if h else v for h, v in zip(header + [""] * len(values), values, strict=False) if v]
            blocks.append(Block("row", "; ".join(pairs)))
    wb.close()
    return blocks


def parse(data: bytes, file_format: str) -> list[Block]:
    if not data:
        raise ParseError("empty_file", "the file is empty")
    if file_format == "pdf":
        blocks = parse_pdf(data)
    elif file_format == "docx":
        blocks = parse_docx(data)
    elif file_format == "xlsx":
        blocks = parse_xlsx(data)
    elif file_format == "html":
        blocks = parse_html(data)
    elif file_format == "markdown":
        blocks = parse_markdown(decode_text(data))
    elif file_format == "text":
        if b"\x00" in data[:4096]:
            raise ParseError("binary_file", "the file looks binary, not text")
        blocks = parse_text(decode_text(data))
    else:
        raise ParseError("unsupported_format", f"unsupported file format {file_format!r}")
    if not any(b.text.strip() for b in blocks if b.kind != "heading"):
        raise ParseError("no_text", "no text was found in the file")
    return blocks
