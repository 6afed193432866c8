"""deploy/ cannot be run here (no container engine), so what can rot is checked: every file parses,
every GOVQA_* variable it sets is a real setting, and the proxy settings the API needs are there."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from govqa.config import Settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
MANIFESTS = sorted([DEPLOY / "docker-compose.yml", *(DEPLOY / "k8s").glob("*.yaml")])


def is_setting(variable: str) -> bool:
    """True when GOVQA_A__B names the field b of the settings group a (or a top-level field a)."""
    model: type[BaseModel] = Settings
    parts = variable.removeprefix("GOVQA_").lower().split("__")
    for i, name in enumerate(parts):
        field = model.model_fields.get(name)
        if field is None:
            return False
        nested = field.annotation
        if i < len(parts) - 1:
            if not (isinstance(nested, type) and issubclass(nested, BaseModel)):
                return False
            model = nested
    return True


def govqa_variables(node: Any) -> dict[str, str]:
    """Every GOVQA_* variable a manifest sets: compose `environment` and ConfigMap `data` mappings,
    and Kubernetes `env` lists (their value, or "secret" when it comes from a Secret)."""
    found: dict[str, str] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("GOVQA_"):
                found[key] = str(value)
            elif key == "env" and isinstance(value, list):
                found |= {e["name"]: str(e.get("value", "secret")) for e in value if e["name"].startswith("GOVQA_")}
            else:
                found |= govqa_variables(value)
    elif isinstance(node, list):
        for item in node:
            found |= govqa_variables(item)
    return found


def test_the_check_knows_real_settings_from_others() -> None:
    assert is_setting("GOVQA_QDRANT__URL") and is_setting("GOVQA_ADMIN_API_KEY")
    assert not is_setting("GOVQA_QDRANT__SHARDS") and not is_setting("GOVQA_PORT__X")


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_every_manifest_parses_and_sets_only_real_settings(path: Path) -> None:
    documents = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
    assert documents
    unknown = sorted(v for v in govqa_variables(documents) if not is_setting(v))
    assert not unknown, f"{path.name} sets variables that are not GovQA settings: {unknown}"


def test_the_api_behind_a_proxy_trusts_it_and_streams_unbuffered() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    api = compose["services"]["api"]
    assert govqa_variables(api)["GOVQA_RATE_LIMIT__TRUST_FORWARDED_FOR"] == "true"
    assert govqa_variables(api)["GOVQA_QDRANT__URL"] == "http://qdrant:6333"  # several workers need a server
    config = yaml.safe_load((DEPLOY / "k8s" / "configmap.yaml").read_text(encoding="utf-8"))
    assert config["data"]["GOVQA_RATE_LIMIT__TRUST_FORWARDED_FOR"] == "true"
    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    stream = re.search(r"location ~ \^/\(api/v1/chat/stream\|v1/chat/completions\)\$ \{(.*?)\}", nginx, re.S)
    assert stream is not None and "proxy_buffering off;" in stream.group(1)
    assert "$proxy_add_x_forwarded_for" in nginx  # the client is the last entry, the one the rate limit reads


def _filled(value: str) -> str:
    """A compose value with `${VAR:-default}` as its default and other `${...}` as a placeholder."""
    return re.sub(r"\$\{[A-Z_]+(?::-([^}]*)|[^}]*)\}", lambda m: m.group(1) if m.group(1) is not None else "x", value)


def test_the_api_settings_of_compose_and_the_configmap_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The values themselves are accepted (types, ranges, and e.g. llm.backend=openai with its URL)."""
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    config = yaml.safe_load((DEPLOY / "k8s" / "configmap.yaml").read_text(encoding="utf-8"))
    for variables in (govqa_variables(compose["services"]["api"]), config["data"]):
        for name in [n for n in os.environ if n.startswith("GOVQA_")]:
            monkeypatch.delenv(name)
        for name, value in variables.items():
            monkeypatch.setenv(name, _filled(value))
        settings = Settings()
        assert settings.qdrant.url == "http://qdrant:6333" and settings.llm.backend == "openai"
