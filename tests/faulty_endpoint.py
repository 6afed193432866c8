"""An OpenAI-compatible server on loopback that fails when told to: an error status (with
Retry-After), a hang past the client's timeout, a dropped connection, a stream cut or stalled after
its first piece. It records what reached it: requests, embedded texts, the most requests in flight.

A plain http.server, so a fault is real socket behaviour (a chunked stream cut short, a connection
closed with no reply) rather than what a framework lets an app express.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from govqa.testing.fakes import HashEmbedder

REPLY = "根据资料[1]，需要身份证。"


@dataclass(frozen=True)
class Fault:
    """What the next request meets: `status` (with `retry_after`), `hang`, `drop`, `cut` (a stream
    ends abruptly after one piece) or `stall` (a stream hangs after one piece)."""

    kind: str
    status: int = 500
    retry_after: str = ""
    seconds: float = 0.0


class FaultyEndpoint:
    """The server's script and record; each request takes the next queued fault, if any."""

    def __init__(self, dim: int = 16, delay: float = 0.0) -> None:
        self.embedder = HashEmbedder(dim)
        self.delay = delay  # seconds every embedding request takes (so requests overlap)
        self.faults: deque[Fault] = deque()
        self.lock = threading.Lock()
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.texts: list[str] = []
        self.batch_sizes: list[int] = []
        self.url = ""

    def fail(self, status: int, times: int = 1, retry_after: str = "") -> None:
        """The next `times` requests get `status`."""
        self.faults.extend(Fault("status", status, retry_after) for _ in range(times))

    def then(self, kind: str, seconds: float = 0.0, times: int = 1) -> None:
        """The next `times` requests meet `kind` (hang, drop, cut, stall)."""
        self.faults.extend(Fault(kind, seconds=seconds) for _ in range(times))

    def reset_counts(self) -> None:
        """Forget what was recorded so far."""
        with self.lock:
            self.requests = self.max_in_flight = 0
            self.texts.clear()
            self.batch_sizes.clear()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stall
    endpoint: FaultyEndpoint

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        ep = self.endpoint
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with ep.lock:
            ep.requests += 1
            ep.in_flight += 1
            ep.max_in_flight = max(ep.max_in_flight, ep.in_flight)
            fault = ep.faults.popleft() if ep.faults else None
        try:
            self._serve(body, fault)
        except OSError:
            pass  # the client gave up (its timeout) while this request hung
        finally:
            with ep.lock:
                ep.in_flight -= 1

    def _serve(self, body: dict[str, object], fault: Fault | None) -> None:
        if fault is not None and fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            self._json(fault.status, {"error": {"message": f"scripted {fault.status}"}}, headers)
            return
        if fault is not None and fault.kind == "hang":
            time.sleep(fault.seconds)
        if fault is not None and fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.path.endswith("/embeddings"):
            self._embeddings(body)
        elif body.get("stream"):
            self._stream(fault)
        else:
            self._json(200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY}}]})

    def _embeddings(self, body: dict[str, object]) -> None:
        raw = body["input"]
        texts = [str(t) for t in raw] if isinstance(raw, list) else [str(raw)]
        ep = self.endpoint
        with ep.lock:
            ep.texts.extend(texts)
            ep.batch_sizes.append(len(texts))
        time.sleep(ep.delay)
        rows = ep.embedder.embed_documents(texts)
        data = [{"object": "embedding", "index": i, "embedding": row.tolist()} for i, row in enumerate(rows)]
        self._json(200, {"object": "list", "data": list(reversed(data)), "model": body["model"]})

    def _stream(self, fault: Fault | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for i in range(0, len(REPLY), 3):
            event = {"choices": [{"index": 0, "delta": {"content": REPLY[i : i + 3]}}]}
            self._chunk(f"data: {json.dumps(event, ensure_ascii=False)}\n\n")
            if fault is not None and fault.kind == "cut":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault is not None and fault.kind == "stall":
                time.sleep(fault.seconds)
        self._chunk("data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")

    def _chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serve_faulty(dim: int = 16, delay: float = 0.0) -> Iterator[FaultyEndpoint]:
    """Run a FaultyEndpoint on a free loopback port; its `url` ends in /v1."""
    endpoint = FaultyEndpoint(dim, delay)
    handler = type("Handler", (_Handler,), {"endpoint": endpoint})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True  # a hanging request must not hold up the end of a test
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)  # quick to shut down
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()
