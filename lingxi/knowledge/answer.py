"""Grounded answers. Without an LLM: the sentences of the best passages closest to the question
(by embedding similarity and shared terms), with citations. With an LLM: an answer written only
from the numbered passages, citing them as [n]. When no passage passes ``min_score``: "I don't
know", never a guess."""

from __future__ import annotations

import asyncio
import re

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.ai.embeddings import default_embedder
from lingxi.ai.llm import LlmError, Message, get_llm
from lingxi.knowledge.chunking import split_sentences
from lingxi.knowledge.index import query_terms
from lingxi.knowledge.retrieval import Hit
from lingxi.knowledge.schemas import AskOut, Citation
from lingxi.tenancy.context import Actor

MAX_ANSWER_CHARS = 600
_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_chinese(text: str) -> bool:
    return len(_CJK.findall(text)) >= max(1, len(text) // 10)


def dont_know(question: str) -> str:
    if is_chinese(question):
        return "抱歉，知识库中没有找到与这个问题足够相关的内容，我不知道答案。"
    return "Sorry, I don't know: nothing in the knowledge base is relevant enough to answer this."


def _citations(hits: list[Hit]) -> list[Citation]:
    return [
        Citation(index=i + 1, document_id=h.document_id, document_title=h.document_title, chunk_id=h.chunk_id, passage=h.text, score=h.score)
        for i, h in enumerate(hits)
    ]


def extractive_answer(question: str, hits: list[Hit]) -> str:
    """The one or two sentences of the best passage closest to the question (by embedding
    similarity and shared terms), in their original order, marked [1]. One passage only, the one
    retrieval ranked first (it weighs the title, the section and every term, which one sentence
    cannot), so that two versions of a policy are never spliced into one answer; the other
    passages are in the citations."""
    sentences: list[tuple[int, int, str]] = []  # (citation, position, text)
    for ci, hit in enumerate(hits[:1]):
        for pos, s in enumerate(split_sentences(hit.text.replace("\n", "。" if is_chinese(hit.text) else ". "))):
            if len(s.strip("。. ")) >= 4:
                sentences.append((ci, pos, s))
    if not sentences:
        return f"{hits[0].text[:MAX_ANSWER_CHARS]}[1]"
    qv = default_embedder().embed_one(question)
    sv = default_embedder().embed([s for _, _, s in sentences])
    terms = set(query_terms(question))
    scores = []
    for i, (_, _, s) in enumerate(sentences):
        overlap = len(terms & set(query_terms(s))) / len(terms) if terms else 0.0
        scores.append(float(sv[i] @ qv) + 0.5 * overlap)
    best = int(np.argmax(scores))
    passage = sentences[best][0]
    own = sorted((i for i, t in enumerate(sentences) if t[0] == passage), key=lambda i: -scores[i])
    picked = [i for i in own[:2] if scores[i] >= scores[best] - 0.1]
    text = ""
    for i in sorted(picked, key=lambda i: sentences[i][1]):
        if text and len(text) + len(sentences[i][2]) > MAX_ANSWER_CHARS:
            break
        text += sentences[i][2].strip() + (" " if not is_chinese(sentences[i][2]) else "")
    return f"{text.strip()}[{passage + 1}]"


def _llm_messages(question: str, hits: list[Hit]) -> list[Message]:
    passages = "\n\n".join(f"[{i + 1}] 《{h.document_title}》{(' · ' + h.heading) if h.heading else ''}\n{h.text}" for i, h in enumerate(hits))
    system = (
        "You answer questions for a company's staff using ONLY the numbered passages given. "
        "Cite every statement with the passage number in brackets, like [1]. If the passages do not "
        "contain the answer, say that you don't know. Never use outside knowledge. Answer in the "
        "language of the question, concisely."
    )
    return [Message("system", system), Message("user", f"Passages:\n{passages}\n\nQuestion: {question}")]


async def answer(session: AsyncSession, actor: Actor, question: str, hits: list[Hit], *, use_llm: bool | None) -> AskOut:
    if not hits:
        return AskOut(answer=dont_know(question), grounded=False, mode="none", citations=[])
    citations = _citations(hits)
    notice = None
    if use_llm is not False:
        llm = await get_llm(session, actor, "knowledge_ask")
        if llm.available:
            try:
                result = await llm.complete(_llm_messages(question, hits), temperature=0.1, max_tokens=800)
                if result.text.strip():
                    return AskOut(answer=result.text.strip(), grounded=True, mode="llm", citations=citations)
            except LlmError as exc:
                notice = f"the LLM failed ({exc}); this answer is extractive"[:300]
        elif use_llm:
            notice = "no LLM provider is configured; this answer is extractive"
    text = await asyncio.to_thread(extractive_answer, question, hits)
    return AskOut(answer=text, grounded=True, mode="extractive", citations=citations, notice=notice)
