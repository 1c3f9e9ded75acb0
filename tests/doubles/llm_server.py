"""A real HTTP server on 127.0.0.1 that speaks the LLM wire protocols, scripted per test.

Both wire formats are served at once:
- ``POST /v1/chat/completions`` and ``GET /v1/models`` (base URL: ``server.openai_base_url``)
- ``POST /v1/messages`` and ``GET /v1/models`` (base URL: ``server.anthropic_base_url``)

Each request takes the next scripted reply from a FIFO queue (``enqueue``, ``enqueue_answer``,
``enqueue_hang``); when the queue is empty the ``default`` responder answers (by default the
"smart" one, which answers any structured request with an instance generated from the
request's schema). Every request is recorded in ``server.requests``. See README-llm.md.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.doubles.llm_schema_instance import instance_for, schema_of_request


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: Any  # parsed JSON, or None
    raw: bytes
    received_at: float  # time.monotonic()

    @property
    def wire(self) -> str:
        return "anthropic" if self.path.endswith("/messages") else "openai"


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON, str/bytes -> sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hang: bool = False  # accept the request and never answer (until the server stops)
    drop: bool = False  # close the connection without any response


Responder = Callable[[RecordedRequest], Reply]


def chat_completion(content: str | None, *, model: str = "ss-test-model",
                    finish_reason: str = "stop", usage: dict[str, int] | None = None) -> dict:
    """A ``/chat/completions`` response body with one choice."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "finish_reason": finish_reason,
                     "message": {"role": "assistant", "content": content}}],
        "usage": usage or {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }


def anthropic_message(blocks: list[dict], *, model: str = "ss-test-model",
                      stop_reason: str = "tool_use", usage: dict[str, int] | None = None) -> dict:
    """A ``/v1/messages`` response body with the given content blocks."""
    return {
        "id": "msg_test",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": blocks,
        "stop_reason": stop_reason,
        "usage": usage or {"input_tokens": 13, "output_tokens": 9},
    }


def answer_reply(request: RecordedRequest, answer: Any, *, delay: float = 0.0,
                 model: str = "ss-test-model") -> Reply:
    """Wrap ``answer`` in the envelope of the request's wire format.

    For chat completions a str is sent verbatim as the content and anything else as JSON text;
    for messages a dict becomes the forced tool's input and a str becomes a text block.
    """
    if request.wire == "anthropic":
        if isinstance(answer, str):
            blocks = [{"type": "text", "text": answer}]
            return Reply(body=anthropic_message(blocks, model=model, stop_reason="end_turn"),
                         delay=delay)
        tool = ((request.body or {}).get("tool_choice") or {}).get("name", "answer")
        blocks = [{"type": "tool_use", "id": f"toolu_{len(str(answer))}", "name": tool,
                   "input": answer}]
        return Reply(body=anthropic_message(blocks, model=model), delay=delay)
    content = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    return Reply(body=chat_completion(content, model=model), delay=delay)


class ScriptedLLMServer:
    """Start with ``with ScriptedLLMServer() as server:`` (or ``start()``/``stop()``)."""

    def __init__(self, default: Responder | None = None, *,
                 models: tuple[str, ...] = ("ss-test-model",)) -> None:
        self.default: Responder = default or self.smart_reply
        self.models = models
        self.requests: list[RecordedRequest] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._queue: deque[Reply | Responder] = deque()
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # scripting -----------------------------------------------------------------------------
    def enqueue(self, status: int = 200, body: Any = None, headers: dict[str, str] | None = None,
                delay: float = 0.0) -> None:
        """Queue one raw reply."""
        self._push(Reply(status=status, body=body, headers=headers or {}, delay=delay))

    def enqueue_answer(self, answer: Any, *, delay: float = 0.0) -> None:
        """Queue a successful answer wrapped in whichever wire format the request uses."""
        self._push(lambda request: answer_reply(request, answer, delay=delay))

    def enqueue_hang(self) -> None:
        """Queue a request that is accepted and never answered."""
        self._push(Reply(hang=True))

    def enqueue_drop(self) -> None:
        """Queue a request whose connection is closed without any response."""
        self._push(Reply(drop=True))

    def enqueue_responder(self, responder: Responder) -> None:
        self._push(responder)

    def reset(self) -> None:
        """Forget scripted replies, recorded requests and the in-flight maximum (for a server
        shared by several tests)."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.max_in_flight = 0

    def smart_reply(self, request: RecordedRequest) -> Reply:
        """Answer generically: model lists for GET, a schema instance for structured requests."""
        if request.method == "GET" and request.path.endswith("/models"):
            return Reply(body={"object": "list", "data": [
                {"id": name, "object": "model", "type": "model"} for name in self.models]})
        schema = schema_of_request(request.body)
        if schema is None:
            return Reply(status=400, body={"error": {"message": "no JSON schema in request"}})
        return answer_reply(request, instance_for(schema))

    # lifecycle -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.url

    def env(self, provider: str = "openai_compatible", *, model: str = "ss-test-model",
            api_key: str = "sk-test-0123456789abcdef", **extra: str) -> dict[str, str]:
        """``SS_LLM_*`` settings pointing SS at this server (``extra``: more keys, verbatim)."""
        base = self.anthropic_base_url if provider == "anthropic" else self.openai_base_url
        return {"SS_LLM_PROVIDER": provider, "SS_LLM_BASE_URL": base, "SS_LLM_MODEL": model,
                "SS_LLM_API_KEY": api_key, **extra}

    def start(self, port: int = 0) -> ScriptedLLMServer:
        handler = type("Handler", (_Handler,), {"owner": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # internals -----------------------------------------------------------------------------
    def _push(self, item: Reply | Responder) -> None:
        with self._lock:
            self._queue.append(item)

    def _next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            item = self._queue.popleft() if self._queue else self.default
        return item if isinstance(item, Reply) else item(request)

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


class _Handler(BaseHTTPRequestHandler):
    owner: ScriptedLLMServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _serve(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        request = RecordedRequest(
            method=self.command, path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body, raw=raw, received_at=time.monotonic(),
        )
        owner = self.owner
        owner._enter()
        try:
            reply = owner._next_reply(request)
            if reply.hang:
                owner._release.wait()
                self.close_connection = True
                return
            if reply.delay and owner._release.wait(reply.delay):
                return
            if reply.drop:
                self.close_connection = True
                return
            self._write(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            owner._leave()

    def _write(self, reply: Reply) -> None:
        if isinstance(reply.body, bytes):
            payload, kind = reply.body, "application/octet-stream"
        elif isinstance(reply.body, str):
            payload, kind = reply.body.encode(), "text/plain; charset=utf-8"
        else:
            payload, kind = json.dumps(reply.body).encode(), "application/json"
        self.send_response(reply.status)
        headers = {"content-type": kind, **{k.lower(): v for k, v in reply.headers.items()}}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def main() -> None:
    """``python -m tests.doubles.llm_server [--port N]``: serve in smart default mode until
    interrupted; prints the base URLs and the SS_LLM_* settings as JSON on one line."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--provider", default="openai_compatible")
    args = parser.parse_args()
    server = ScriptedLLMServer()
    server.start(port=args.port)
    print(json.dumps({"url": server.url, "env": server.env(args.provider)}), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
