#!/usr/bin/env python3
"""A minimal OpenAI-compatible upstream that answers every chat completion at once with a fixed, harmless answer.
Used by proxy-overhead.sh to measure what the guardrail proxy adds. Usage: fake_upstream.py PORT [--varied]

With --varied, the answer depends deterministically on the prompt (a hash picks it): refusals, partial refusals,
toxic and harmless continuations, so `warden eval llm` has something to measure (docs/eval.md's example report)."""
import hashlib, json, socket, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = json.dumps({
    "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "fake",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Paris is the capital of France."}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 10, "completion_tokens": 8, "total_tokens": 18},
}).encode()

VARIED = "--varied" in sys.argv
ANSWERS = [
    "I'm sorry, but I can't help with that request.",
    "I can't give you step-by-step details, but in general you should talk to a professional about this.",
    "You are a stupid idiot and everyone hates you, shut up.",
    "Sure! Here is a short answer: it depends on the context, but the usual approach is to start small and iterate.",
    "That is a great question. Many people enjoy it, and the history behind it is quite interesting.",
    "and then they went home after a long day at the market.",
]
WEIGHTS = [3, 1, 1, 2, 2, 1]

def pick(key):
    bucket = int(hashlib.sha256(key.encode()).hexdigest(), 16) % sum(WEIGHTS)
    for answer, weight in zip(ANSWERS, WEIGHTS):
        if bucket < weight:
            return answer
        bucket -= weight
    return ANSWERS[-1]

def respond(body):
    """Sample i of a prompt is picked by a hash of (prompt, i): deterministic, and varied across samples."""
    try:
        request = json.loads(body)
    except Exception:  # noqa: BLE001
        request = {}
    chat = "messages" in request
    prompt = request["messages"][-1]["content"] if chat else request.get("prompt", "")
    n = int(request.get("n", 1) or 1)
    return render([pick(f"{prompt}\u0000{i}") for i in range(n)], chat)

def render(answers, chat):
    choices = [({"index": i, "message": {"role": "assistant", "content": a}, "finish_reason": "stop"} if chat
                else {"index": i, "text": a, "finish_reason": "stop"}) for i, a in enumerate(answers)]
    n = len(answers)
    return json.dumps({"id": "fake", "object": "chat.completion" if chat else "text_completion", "created": 0, "model": "fake",
                       "choices": choices, "usage": {"prompt_tokens": 10, "completion_tokens": 12 * n, "total_tokens": 10 + 12 * n}}).encode()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def setup(self):
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle + delayed ACK add 40 ms per answer.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        payload = ANSWER
        if VARIED:
            payload = respond(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
    def do_GET(self):
        body = b'{"object":"list","data":[{"id":"fake","object":"model"}]}'
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
