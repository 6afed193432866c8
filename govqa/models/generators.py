"""Generator adapters: llama.cpp GGUF (bundled default), transformers directory, OpenAI-compatible."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from govqa.core.errors import ModelEndpointError, ModelUnavailableError
from govqa.models.http import HttpEndpoint, HttpPolicy

if TYPE_CHECKING:
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter
    from llama_cpp.llama_types import ChatCompletionRequestMessage, CreateChatCompletionStreamResponse

MAX_CONTINUATION_TOKENS = 64


def _cpu_has_amx() -> bool:
    try:
        return "amx_tile" in Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False


@contextlib.contextmanager
def _without_amx_repacking() -> Iterator[None]:
    """On CPUs with AMX, load weights without llama.cpp's extra (repacked) buffer types.

    A build with -march=native repacks Q4_K weights into an AMX buffer on such CPUs, and the first
    matrix product then segfaults in ggml_backend_amx_mul_mat on some of them (llama.cpp#20824,
    closed without a fix). llama-cpp-python does not expose `use_extra_bufts`, so the default model
    parameters are wrapped while the model loads.
    """
    if not _cpu_has_amx():
        yield
        return
    from llama_cpp import llama_cpp as C

    original = C.llama_model_default_params

    def params() -> Any:
        p = original()
        p.use_extra_bufts = False
        return p

    with _LOAD_LOCK:
        C.llama_model_default_params = params
        try:
            yield
        finally:
            C.llama_model_default_params = original


_LOAD_LOCK = threading.Lock()


class LlamaCppGenerator:
    """A GGUF chat model run in-process by llama-cpp-python.

    llama.cpp contexts are not thread-safe, so concurrent requests are serialised with a lock.
    """

    def __init__(
        self, path: Path, n_ctx: int = 4096, threads: int = 2, temperature: float = 0.1, seed: int = 7
    ) -> None:
        if not path.is_file():
            raise ModelUnavailableError(f"GGUF model not found: {path}")
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ModelUnavailableError("the local LLM needs llama-cpp-python==0.3.36") from exc
        try:
            with _without_amx_repacking():
                self._llm = Llama(
                    model_path=str(path),
                    n_ctx=n_ctx,
                    n_threads=threads,
                    n_threads_batch=threads,
                    seed=seed,
                    verbose=False,
                )
        except ValueError as exc:
            raise ModelUnavailableError(f"llama.cpp could not load {path}: {exc}") from exc
        self._name = path.stem
        self._temperature = temperature
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return f"gguf:{self._name}"

    def _messages(self, system: str, user: str) -> list[ChatCompletionRequestMessage]:
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def generate(self, system: str, user: str, max_tokens: int) -> str:
        return "".join(self.stream(system, user, max_tokens))

    def stream(self, system: str, user: str, max_tokens: int) -> Iterator[str]:
        with self._lock:
            # stream=True always returns the iterator; llama_cpp declares no overload that says so.
            pieces = cast(
                "Iterator[CreateChatCompletionStreamResponse]",
                self._llm.create_chat_completion(
                    messages=self._messages(system, user),
                    max_tokens=max_tokens,
                    temperature=self._temperature,
                    top_p=0.9,
                    repeat_penalty=1.1,
                    stream=True,
                ),
            )
            for piece in pieces:
                delta = piece["choices"][0]["delta"].get("content")
                if isinstance(delta, str) and delta:
                    yield delta

    @functools.cached_property
    def _chat_formatter(self) -> Jinja2ChatFormatter:
        """The model's own chat template (from the GGUF metadata), compiled once."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        llm = self._llm
        template = llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise ModelUnavailableError(f"{self._name} carries no chat template; it cannot score replies")
        eos, bos = llm.token_eos(), llm.token_bos()  # as llama_cpp.Llama builds its own formatter
        return Jinja2ChatFormatter(
            template,
            eos_token=llm._model.token_get_text(eos) if eos != -1 else "",
            bos_token=llm._model.token_get_text(bos) if bos != -1 else "",
            add_generation_prompt=True,
        )

    def _chat_prompt(self, system: str, user: str) -> str:
        """The chat up to the start of the reply, in the model's template."""
        return self._chat_formatter(messages=self._messages(system, user)).prompt

    def continuation_logprob(self, system: str, user: str, continuation: str, reply_prefix: str = "") -> float:
        """Mean log-probability per token of `continuation` in a reply that starts with `reply_prefix`.

        The prompt is evaluated with logits for its last position only; the continuation is then
        decoded as one batch asking logits for every position, so no full-vocabulary score matrix
        is ever allocated (`logits_all` would hold n_ctx x 151k floats).
        """
        from llama_cpp import llama_cpp as C

        with self._lock:
            llm = self._llm
            text = self._chat_prompt(system, user) + reply_prefix
            prompt = llm.tokenize(text.encode(), add_bos=False, special=True)
            cont = llm.tokenize(continuation.encode(), add_bos=False, special=False)[:MAX_CONTINUATION_TOKENS]
            if not cont:
                return 0.0
            if len(prompt) + len(cont) > llm.n_ctx():
                raise ValueError(f"prompt of {len(prompt)} tokens does not fit the context of {llm.n_ctx()}")
            n_vocab = llm.n_vocab()
            llm.reset()
            llm.eval(prompt)
            rows = [np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(n_vocab,)).copy()]
            if len(cont) > 1:
                batch = C.llama_batch_init(len(cont) - 1, 0, 1)
                try:
                    for i, token in enumerate(cont[:-1]):
                        batch.token[i] = token
                        batch.pos[i] = len(prompt) + i
                        batch.n_seq_id[i] = 1
                        batch.seq_id[i][0] = 0
                        batch.logits[i] = True
                    batch.n_tokens = len(cont) - 1
                    if C.llama_decode(llm._ctx.ctx, batch) != 0:
                        raise RuntimeError("llama_decode failed while scoring a reply")
                    rows += [
                        np.ctypeslib.as_array(llm._ctx.get_logits_ith(i), shape=(n_vocab,)).copy()
                        for i in range(len(cont) - 1)
                    ]
                finally:
                    C.llama_batch_free(batch)
            llm.reset()  # the next generation starts from a clean cache
            logits = np.stack(rows).astype(np.float64)
            top = logits.max(axis=1, keepdims=True)
            logz = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
            return float(np.mean(logits[np.arange(len(cont)), cont] - logz))

    def choice_logprobs(self, system: str, user: str, choices: Sequence[str], reply_prefix: str = "") -> list[float]:
        """`continuation_logprob` of each choice, the chat evaluated once.

        The prompt's evaluation is kept in the KV cache (and reused up to the longest prefix it shares
        with the previous call, so a fixed instruction block is evaluated once for many clauses); each
        choice is decoded after it and removed from the cache again before the next one.
        """
        with self._lock:
            llm = self._llm
            prompt = llm.tokenize(
                (self._chat_prompt(system, user) + reply_prefix).encode(), add_bos=False, special=True
            )
            conts = [llm.tokenize(c.encode(), add_bos=False, special=False)[:MAX_CONTINUATION_TOKENS] for c in choices]
            longest = max((len(c) for c in conts), default=0)
            if len(prompt) + longest > llm.n_ctx():
                raise ValueError(f"prompt of {len(prompt)} tokens does not fit the context of {llm.n_ctx()}")
            cached = llm.input_ids[: llm.n_tokens].tolist()
            shared = 0
            while shared < min(len(cached), len(prompt) - 1) and cached[shared] == prompt[shared]:
                shared += 1
            llm.n_tokens = shared  # eval() drops the cache from here on
            llm.eval(prompt[shared:])
            n_vocab = llm.n_vocab()
            first = np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(n_vocab,)).copy()
            scores: list[float] = []
            for cont in conts:
                if not cont:
                    scores.append(0.0)
                    continue
                rows = [first, *self._decode_rows(len(prompt), cont[:-1], n_vocab)]
                llm._ctx.kv_cache_seq_rm(-1, len(prompt), -1)
                scores.append(_mean_logprob(rows, cont))
            return scores

    def _decode_rows(self, at: int, tokens: Sequence[int], n_vocab: int) -> list[np.ndarray]:
        """Decode `tokens` from position `at` in one batch; the logits after each of them."""
        from llama_cpp import llama_cpp as C

        if not tokens:
            return []
        llm = self._llm
        batch = C.llama_batch_init(len(tokens), 0, 1)
        try:
            for i, token in enumerate(tokens):
                batch.token[i] = token
                batch.pos[i] = at + i
                batch.n_seq_id[i] = 1
                batch.seq_id[i][0] = 0
                batch.logits[i] = True
            batch.n_tokens = len(tokens)
            if C.llama_decode(llm._ctx.ctx, batch) != 0:
                raise RuntimeError("llama_decode failed while scoring a reply")
            return [
                np.ctypeslib.as_array(llm._ctx.get_logits_ith(i), shape=(n_vocab,)).copy() for i in range(len(tokens))
            ]
        finally:
            C.llama_batch_free(batch)


def _mean_logprob(rows: Sequence[np.ndarray], tokens: Sequence[int]) -> float:
    """Mean log-softmax of `tokens`, row i scoring token i."""
    logits = np.stack(rows).astype(np.float64)
    top = logits.max(axis=1, keepdims=True)
    logz = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
    return float(np.mean(logits[np.arange(len(tokens)), tokens] - logz))


class TransformersGenerator:
    """A causal LM directory loaded with transformers (for operators with a GPU or patience)."""

    def __init__(self, path: Path, temperature: float = 0.1) -> None:
        if not path.is_dir():
            raise ModelUnavailableError(f"transformers model directory not found: {path}")
        try:
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:
            raise ModelUnavailableError("install the extra: pip install 'govqa[hf]'") from exc
        self._tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self._model = AutoModelForCausalLM.from_pretrained(str(path), local_files_only=True)
        self._name = path.name
        self._temperature = temperature
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return f"transformers:{self._name}"

    def generate(self, system: str, user: str, max_tokens: int) -> str:
        from transformers import BatchEncoding

        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        # transformers 5 returns a BatchEncoding (ids and attention mask), not a bare id tensor.
        encoded = self._tok.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        if not isinstance(encoded, BatchEncoding):
            raise ModelUnavailableError(f"{self._name}: the chat template did not produce token ids")
        prompt_length = encoded["input_ids"].shape[1]
        with self._lock:
            output = self._model.generate(
                **encoded,
                max_new_tokens=max_tokens,
                do_sample=self._temperature > 0,
                temperature=self._temperature or None,
            )
        return str(self._tok.decode(output[0][prompt_length:], skip_special_tokens=True))

    def stream(self, system: str, user: str, max_tokens: int) -> Iterator[str]:
        yield self.generate(system, user, max_tokens)


class OpenAIGenerator:
    """An OpenAI-compatible /chat/completions endpoint (vLLM, llama.cpp server), called under the
    policy's timeouts, retries and circuit breaker; a stream is retried only before its first piece."""

    def __init__(
        self,
        url: str,
        model: str,
        api_key: str = "",
        temperature: float = 0.1,
        policy: HttpPolicy = HttpPolicy(read_timeout=120.0),
    ) -> None:
        self._endpoint = HttpEndpoint(url, "chat endpoint", policy, api_key)
        self._model = model
        self._temperature = temperature

    @property
    def model_id(self) -> str:
        return f"openai:{self._model}"

    def _body(self, system: str, user: str, max_tokens: int, stream: bool) -> dict[str, object]:
        return {
            "model": self._model,
            "stream": stream,
            "max_tokens": max_tokens,
            "temperature": self._temperature,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        }

    def generate(self, system: str, user: str, max_tokens: int) -> str:
        reply = self._endpoint.post_json("/chat/completions", self._body(system, user, max_tokens, False))
        try:
            return str(reply["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError) as exc:
            raise ModelEndpointError(f"the chat endpoint {self._endpoint.url} answered without a message") from exc

    def stream(self, system: str, user: str, max_tokens: int) -> Iterator[str]:
        for event in self._endpoint.stream_events("/chat/completions", self._body(system, user, max_tokens, True)):
            # A usage event at the end (stream_options.include_usage) has no choices.
            for choice in event.get("choices") or ():
                delta = (choice.get("delta") or {}).get("content")
                if delta:
                    yield str(delta)
