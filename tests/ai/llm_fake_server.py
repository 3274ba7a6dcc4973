"""A small, real OpenAI-compatible HTTP server for tests: scripted replies, SSE streams, errors
and slow answers, on a free local port in a background thread. It records every request body."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import deque
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


def completion(text: str = "", *, tool_calls: list[dict[str, Any]] | None = None, prompt_tokens: int = 11,
               completion_tokens: int = 7, model: str = "fake-model") -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": text or None}
    if tool_calls:
        message["tool_calls"] = [
            {"id": f"call_{i}", "type": "function", "function": {"name": c["name"], "arguments": json.dumps(c["arguments"], ensure_ascii=False)}}
            for i, c in enumerate(tool_calls)
        ]
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if tool_calls else "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
    }


class FakeOpenAI:
    def __init__(self) -> None:
        self.script: deque[dict[str, Any]] = deque()
        self.requests: list[dict[str, Any]] = []
        self.default: dict[str, Any] = {"json": completion("ok")}
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self._chat)
        self.app.post("/v1/embeddings")(self._embeddings)
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake OpenAI server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)

    def reset(self) -> None:
        self.script.clear()
        self.requests.clear()

    def then(self, **step: Any) -> FakeOpenAI:
        """Queue the next reply: ``json=body``, ``status=500``, ``sleep=seconds`` (then json), ``sse=[text pieces]``."""
        self.script.append(step)
        return self

    async def _chat(self, request: Request) -> Any:
        body = await request.json()
        self.requests.append(body)
        step = self.script.popleft() if self.script else self.default
        if "sleep" in step:
            await asyncio.sleep(step["sleep"])
        if "status" in step:
            return JSONResponse({"error": {"message": "scripted failure", "type": "server_error"}}, status_code=step["status"])
        if "sse" in step:
            return StreamingResponse(self._sse(step["sse"], step.get("fail_after")), media_type="text/event-stream")
        return JSONResponse(step.get("json") or completion("ok"))

    async def _sse(self, pieces: list[str], fail_after: int | None) -> Any:
        base = {"id": "chatcmpl-s", "object": "chat.completion.chunk", "created": int(time.time()), "model": "fake-model"}
        for i, piece in enumerate(pieces):
            if fail_after is not None and i >= fail_after:
                raise RuntimeError("stream broken")
            yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': {'content': piece}, 'finish_reason': None}]})}\n\n"
            await asyncio.sleep(0)
        yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': {}, 'finish_reason': 'stop'}]})}\n\n"
        usage = {"prompt_tokens": 5, "completion_tokens": len(pieces), "total_tokens": 5 + len(pieces)}
        yield f"data: {json.dumps({**base, 'choices': [], 'usage': usage})}\n\n"
        yield "data: [DONE]\n\n"

    async def _embeddings(self, request: Request) -> Any:
        body = await request.json()
        self.requests.append(body)
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [{"object": "embedding", "index": i, "embedding": [float(len(t)), 1.0, 0.0]} for i, t in enumerate(inputs)]
        return {"object": "list", "data": data, "model": body["model"], "usage": {"prompt_tokens": 3, "total_tokens": 3}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
