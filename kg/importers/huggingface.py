"""Import model records from the Hugging Face Hub through ``huggingface_hub`` (``HfApi.model_info``).

The Hub tells what a repository holds, not what its developer released elsewhere, so the mapping
claims only what the repository proves (docs/registries.md):

- weight files among the siblings: weights available, ``public`` or ``gated`` as the repo is gated;
  a repo *without* weight files proves nothing about the weights (they stay ``unknown``);
- the card's licence, else the ``license:`` tag (``other`` + ``license_name`` for custom terms);
- ``config.architectures``: the architecture is disclosed (available as the repo is);
- ``dataset:`` tags and card datasets: *declared* training data, availability still ``unknown``;
- ``arxiv:`` tags: the paper;
- ``base_model`` with its relation (adapter, quantized, merge, finetune): ``based_on`` with that kind; a
  repo holding only a PEFT adapter is an adapter of its base and proves nothing about trained weights;
- ``pipeline_tag``: the modality; ``license_link``: the licence text, as a source of the licence claim;
- ``model-index`` results: evaluation results, public in the card (``kg.importers.hub_semantics``).

Training code and the downloadability of the data stay ``unknown``: the Hub cannot tell.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from fnmatch import fnmatch
from typing import Any

from kg.importers import hub_semantics as hub
from kg.importers.common import as_list, slugify, today
from kg.importers.registry import ImportOptions, ImportResult

PUBLIC_ENDPOINT = "https://huggingface.co"
#: Only what the mapping reads; ``expand`` makes the Hub send nothing else.
EXPAND = ["author", "cardData", "config", "createdAt", "gated", "pipeline_tag", "private", "siblings", "tags"]

#: File names (not paths) that hold trained parameters.
WEIGHT_PATTERNS = (
    "*.safetensors",
    "pytorch_model*.bin",
    "model*.bin",
    "*.gguf",
    "*.ggml",
    "tf_model*.h5",
    "flax_model*.msgpack",
    "*.onnx",
    "*.onnx_data",
    "*.tflite",
    "*.nemo",
    "*.ckpt",
    "*.pt",
    "*.pth",
    "*.keras",
    "*.mlmodel",
)
#: Training state that matches the patterns above but is no model weights.
NOT_WEIGHTS = ("optimizer*", "scheduler*", "rng_state*", "training_args*", "trainer_state*")

_REPO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")
_ARXIV = re.compile(r"\d{4}\.\d{4,5}(v\d+)?|[a-z-]+(\.[A-Z]{2})?/\d{7}")

def parse_repo_id(text: str) -> str | None:
    """The ``owner/name`` repo id in ``text`` (a repo id or a Hub URL), or None if there is none.

    >>> parse_repo_id("https://huggingface.co/meta-llama/Llama-3.1-8B/tree/main")
    'meta-llama/Llama-3.1-8B'
    >>> parse_repo_id("not a repo") is None
    True
    """
    text = text.strip()
    for prefix in ("https://huggingface.co/", "http://huggingface.co/", "https://hf.co/", "hf.co/"):
        if text.startswith(prefix):
            text = "/".join(text[len(prefix) :].split("/")[:2])
            break
    if _REPO_ID.fullmatch(text) and ".." not in text and not text.endswith((".", "-")):
        return text
    return None


def is_weight_file(path: str) -> bool:
    """Whether a repository file holds trained parameters (by its name)."""
    name = path.rsplit("/", 1)[-1].lower()
    if any(fnmatch(name, p) for p in NOT_WEIGHTS):
        return False
    return any(fnmatch(name, p) for p in WEIGHT_PATTERNS)


def hub_license(card_license: object, license_name: object, tags: Sequence[str]) -> str | None:
    """The licence id of a repo: the card's, else the ``license:`` tag; ``other`` means ``license_name``."""
    values = as_list(card_license) or [t.split(":", 1)[1] for t in tags if t.startswith("license:")]
    if not values:
        return None
    value = str(values[0]).strip()
    if value.lower() in ("other", "unknown"):
        name = str(license_name or "").strip()
        return name or None
    return canonical_license(value)


def canonical_license(value: str) -> str:
    """The licence id the KG uses for a Hub licence id (SPDX case, or the KG's own id); else as given."""
    from kg.licenses import canonical_license_id

    return canonical_license_id(value) or value


def record_from_info(info: Any) -> dict:
    """The plain record (docs/records.md) for one ``huggingface_hub.ModelInfo``; its links name the public
    Hub (https://huggingface.co) whichever server answered, so records from a mirror link the same pages."""
    repo_id: str = info.id
    page = f"{PUBLIC_ENDPOINT}/{repo_id}"
    card = _card_dict(info.card_data)
    tags = list(info.tags or [])
    files = [s.rfilename for s in (info.siblings or [])]
    adapter_only = hub.is_adapter_only(files, is_weight_file)
    owner, name = repo_id.split("/", 1)[0], repo_id.split("/", 1)[1]
    record: dict[str, Any] = {
        "id": slugify(name),
        "name": name,
        "developer": info.author or owner,
        "huggingface": repo_id,
        "source": [page],
        "as_of": today(),
    }
    if info.created_at:
        record["date"] = info.created_at.date().isoformat()
    artifacts = {**_repo_artifacts(info, card, tags, files, adapter_only, page),
                 **_declared_artifacts(card, tags, page)}
    access = _access(info)
    evaluations = hub.evaluation_sources(card.get("model-index"), page)
    if evaluations:
        artifacts["evaluation_results"] = {"availability": access, "url": page, "source": evaluations}
    if artifacts:
        record["artifacts"] = artifacts
    modality = hub.modality(getattr(info, "pipeline_tag", None) or card.get("pipeline_tag"))
    if modality:
        record["modality"] = modality
    bases = hub.base_models(card, tags, lambda b: parse_repo_id(b) == b, adapter_only)
    if bases:
        record["based_on"] = [{"model": f"{PUBLIC_ENDPOINT}/{b}", **({"kind": k} if k else {}), "source": [page]}
                              for b, k in bases]
    return record


def _access(info: Any) -> str:
    """What the repo's own files are: ``not-released`` (private), ``gated`` or ``public``."""
    return "not-released" if info.private else ("gated" if info.gated else "public")


def _repo_artifacts(info: Any, card: dict, tags: list[str], files: list[str], adapter_only: bool,
                    page: str) -> dict[str, Any]:
    """The artifacts the repo's files prove: weights (not an adapter alone), architecture, model card."""
    access = _access(info)
    license_id = hub_license(card.get("license"), card.get("license_name"), tags)
    artifacts: dict[str, Any] = {}
    if any(is_weight_file(f) for f in files) and not adapter_only:
        artifacts["weights"] = _claim(access, license_id, page)
        licence_text = hub.licence_text_url(card.get("license_link"), page)
        if licence_text:
            artifacts["weights"]["source"].append(licence_text)
    if (info.config or {}).get("architectures"):
        artifacts["architecture"] = _claim(access, license_id, f"{page}/blob/main/config.json", page)
    if "README.md" in files:
        artifacts["model_card"] = _claim(access, license_id, page)
    return artifacts


def _declared_artifacts(card: dict, tags: list[str], page: str) -> dict[str, Any]:
    """What the card and tags declare: training datasets (availability unknown) and arXiv papers."""
    artifacts: dict[str, Any] = {}
    datasets = _unique(
        as_list(card.get("datasets")) + [t.split(":", 1)[1] for t in tags if t.startswith("dataset:")]
    )
    if datasets:
        # declared, not proof that the data can be downloaded
        artifacts["training_data"] = {
            "availability": "unknown",
            "url": [f"{PUBLIC_ENDPOINT}/datasets/{d}" for d in datasets],
            "source": [page],
        }
    papers = _unique(t.split(":", 1)[1] for t in tags if t.startswith("arxiv:") and _ARXIV.fullmatch(t[6:]))
    if papers:
        artifacts["research_paper"] = {
            "availability": "public",
            "url": [f"https://arxiv.org/abs/{p}" for p in papers],
            "source": [page],
        }
    return artifacts


def _claim(access: str, license_id: str | None, url: str, source: str | None = None) -> dict:
    claim: dict[str, Any] = {"availability": access}
    if license_id and access != "not-released":
        claim["license"] = license_id
    claim["url"] = url
    claim["source"] = [source or url]
    return claim


def _card_dict(card: Any) -> dict:
    if card is None:
        return {}
    if isinstance(card, dict):
        return card
    to_dict = getattr(card, "to_dict", None)
    return to_dict() if callable(to_dict) else dict(vars(card))


def _unique(values: Any) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values if v))


def import_records(args: Sequence[str], options: ImportOptions) -> ImportResult:
    """Import each repo id in ``args``; the repos that fail are reported, the others still imported."""
    from huggingface_hub import HfApi

    endpoint = (options.endpoint or os.environ.get("HF_ENDPOINT") or PUBLIC_ENDPOINT).rstrip("/")
    token = options.token or os.environ.get("HF_TOKEN") or None
    api = HfApi(endpoint=endpoint, token=token)
    result = ImportResult()
    for done, arg in enumerate(args, start=1):
        repo_id = parse_repo_id(arg)
        if repo_id is None:
            result.problems.append(
                f"huggingface: {arg!r} is no Hub repo id (expected owner/name, e.g. meta-llama/Llama-3.1-8B)"
            )
        else:
            try:
                info = api.model_info(repo_id, expand=EXPAND, timeout=options.timeout)
                result.records.append(record_from_info(info))
            except Exception as exc:  # noqa: BLE001 - each failure becomes one line, the rest go on
                result.problems.append(f"huggingface: {repo_id}: {describe_error(exc, endpoint)}")
        if options.progress:
            options.progress(done, len(args), arg)
    return result


def describe_error(exc: BaseException, endpoint: str) -> str:
    """One line saying what went wrong with a Hub request and what to do; re-raises bugs."""
    import httpx2
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        HFValidationError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    missing = (RepositoryNotFoundError, RevisionNotFoundError)
    if isinstance(exc, missing) and not isinstance(exc, GatedRepoError):
        return f"no such model repository on {endpoint} (or it is private and HF_TOKEN gives no access)"
    if isinstance(exc, HFValidationError):
        return f"not a valid repo id ({_first_line(exc)})"
    if isinstance(exc, HfHubHTTPError):
        response = exc.response
        status = response.status_code if response is not None else None
        if status == 429:
            wait = retry_after(response.headers) if response is not None else None
            when = f"retry in {wait} s" if wait is not None else "retry later"
            return f"rate limited by {endpoint} (HTTP 429): {when}, or set HF_TOKEN for a higher limit"
        if status in (401, 403):
            return f"access denied by {endpoint} (HTTP {status}): check HF_TOKEN"
        return f"{endpoint} answered HTTP {status} ({_first_line(exc)})"
    if isinstance(exc, httpx2.TimeoutException):
        return f"{endpoint} did not answer in time (network failure); try again later"
    if isinstance(exc, (httpx2.TransportError, OSError)):
        return f"cannot reach {endpoint} (network failure: {_first_line(exc) or type(exc).__name__})"
    if isinstance(exc, (ValueError, KeyError, TypeError)):
        return f"{endpoint} sent an answer that is no Hub model description ({type(exc).__name__}: {exc})"
    raise exc


def retry_after(headers: Any) -> int | None:
    """Seconds to wait before retrying, from ``Retry-After`` or the IETF ``RateLimit`` header."""
    value = headers.get("Retry-After") if headers is not None else None
    if value and value.strip().isdigit():
        return int(value.strip())
    try:
        from huggingface_hub.utils import parse_ratelimit_headers
    except ImportError:
        return None
    info = parse_ratelimit_headers(headers)
    return info.reset_in_seconds if info is not None else None


def _first_line(exc: BaseException) -> str:
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
