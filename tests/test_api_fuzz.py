"""Every route of the app's own OpenAPI schema, fuzzed over real HTTP: no input gives a 5xx.

Schemathesis turns each operation of `/openapi.json` into a Hypothesis strategy of requests, both
schema-valid ones and ones that break the schema (wrong types, missing fields, strange strings);
each is sent to the real app served on a localhost port, once with the admin key and once without.
The models are the deterministic fakes: this checks the HTTP edge, not answer quality.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from govqa.bootstrap import SAMPLE_PATHS, Container
from govqa.config import RateLimitSettings, Settings
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from ingest.pipeline import IngestOptions
from tests.servers import app_in_thread

KEY = "fuzz-admin-key"
EXAMPLES = 8  # per operation and generation mode
# A 503 is the answer of a full LLM queue or of a route with no key configured: allowed, not a fault.
ALLOWED_5XX = {503}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("fuzz-data")
    c = Container(
        # No rate limit: past its burst every request would be a 429 and reach no route.
        Settings(
            data_dir=data, model_dir=data / "models", admin_api_key=KEY, rate_limit=RateLimitSettings(per_minute=0)
        ),
        embedder=HashEmbedder(64),
        generator=ScriptedGenerator(),
    )
    report = c.ingest_pipeline().run(list(SAMPLE_PATHS), IngestOptions())
    assert not report.failed, report.failed
    with app_in_thread(c) as url:
        yield url
    c.close()


def _operations(url: str) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_dict(httpx.get(url + "/openapi.json", timeout=10).json())
    ops = [result.ok() for result in schema.get_all_operations()]
    assert len(ops) >= 20, [f"{op.method} {op.path}" for op in ops]
    return ops


def _fuzz(url: str, op: schemathesis.APIOperation, mode: GenerationMode) -> list[str]:
    """Send EXAMPLES generated requests for one operation; the 5xx answers that are faults."""
    failures: list[str] = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=op.as_strategy(generation_mode=mode), with_key=st.booleans())
    def check(case: schemathesis.Case, with_key: bool) -> None:
        headers = {"Authorization": f"Bearer {KEY}"} if with_key else {}
        response = case.call(base_url=url, headers=headers, timeout=30)
        if response.status_code >= 500 and response.status_code not in ALLOWED_5XX:
            failures.append(
                f"{op.method.upper()} {case.formatted_path} -> {response.status_code}: {response.text[:200]}"
            )

    # An operation with nothing to break (no parameters, no body) has no negative cases.
    with contextlib.suppress(Unsatisfiable):
        check()
    return failures


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_no_request_gets_a_server_error(served: str, mode: GenerationMode) -> None:
    failures = [failure for op in _operations(served) for failure in _fuzz(served, op, mode)]
    assert not failures, "\n".join(sorted(set(failures))[:20])
    assert httpx.get(served + "/healthz", timeout=5).status_code == 200


def test_fuzzing_would_see_a_server_error(tmp_path: Path) -> None:
    """The check can fail: a route that raises is reported as a 500 through the same path."""
    from fastapi import FastAPI

    broken = FastAPI()

    @broken.get("/boom")
    def boom(n: int) -> dict[str, int]:
        return {"n": 1 // (n - n)}

    schema = schemathesis.openapi.from_asgi("/openapi.json", broken)
    op = next(iter(schema.get_all_operations())).ok()
    statuses: list[int] = []

    @settings(max_examples=3, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=op.as_strategy())
    def check(case: schemathesis.Case) -> None:
        try:
            statuses.append(case.call().status_code)
        except ZeroDivisionError:
            statuses.append(500)

    check()
    assert 500 in statuses
