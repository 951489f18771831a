"""A stand-in for the Hugging Face Hub's model API on 127.0.0.1, answering as the Hub does.

``GET /api/models/<owner>/<name>`` returns the JSON the Hub returns (``_id``, ``id`` and, with
``expand=...``, only the requested properties); missing repos get 404 with ``X-Error-Code:
RepoNotFound``, private repos without the right bearer token 401 with the same code (as the Hub), and
the repo ``limited/model`` a 429 with IETF ``RateLimit`` headers.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

TOKEN = "hf_testtoken"

LLAMA_SIBLINGS = [
    ".gitattributes", "LICENSE", "README.md", "USE_POLICY.md", "config.json", "generation_config.json",
    "model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
    "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors",
    "model.safetensors.index.json", "original/consolidated.00.pth", "original/params.json",
    "original/tokenizer.model", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json",
]

MODELS: dict[str, dict] = {
    "meta-llama/Llama-3.1-8B": {
        "_id": "66944f1fe0c5c2e493a804f5",
        "id": "meta-llama/Llama-3.1-8B",
        "author": "meta-llama",
        "cardData": {
            "language": ["en", "de", "fr", "it", "pt", "hi", "es", "th"],
            "library_name": "transformers",
            "license": "llama3.1",
            "pipeline_tag": "text-generation",
            "tags": ["facebook", "meta", "pytorch", "llama", "llama-3"],
            "extra_gated_prompt": "### LLAMA 3.1 COMMUNITY LICENSE AGREEMENT ...",
            "extra_gated_fields": {"First Name": "text", "Last Name": "text", "Country": "country"},
            "extra_gated_button_content": "Submit",
        },
        "config": {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            "tokenizer_config": {"bos_token": "<|begin_of_text|>", "eos_token": "<|end_of_text|>"},
        },
        "createdAt": "2024-07-14T22:20:15.000Z",
        "gated": "manual",
        "private": False,
        "siblings": [{"rfilename": f} for f in LLAMA_SIBLINGS],
        "tags": [
            "transformers", "safetensors", "llama", "text-generation", "facebook", "meta", "pytorch",
            "llama-3", "en", "de", "fr", "it", "pt", "hi", "es", "th", "arxiv:2204.05149",
            "license:llama3.1", "autotrain_compatible", "text-generation-inference",
            "endpoints_compatible", "region:us",
        ],
    },
    "allenai/OLMo-2-1124-7B-Instruct": {
        "_id": "673b9b3e1b2c3d4e5f607182",
        "id": "allenai/OLMo-2-1124-7B-Instruct",
        "author": "allenai",
        "cardData": {
            "license": "apache-2.0",
            "language": ["en"],
            "pipeline_tag": "text-generation",
            "base_model": ["allenai/OLMo-2-1124-7B-DPO"],
            "library_name": "transformers",
            "datasets": ["allenai/RLVR-GSM"],
        },
        "config": {"architectures": ["Olmo2ForCausalLM"], "model_type": "olmo2"},
        "createdAt": "2024-11-25T18:33:51.000Z",
        "gated": False,
        "private": False,
        "siblings": [{"rfilename": f} for f in [
            ".gitattributes", "README.md", "config.json", "generation_config.json",
            "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
            "model.safetensors.index.json", "special_tokens_map.json", "tokenizer.json",
            "tokenizer_config.json",
        ]],
        "tags": [
            "transformers", "safetensors", "olmo2", "text-generation", "conversational", "en",
            "dataset:allenai/RLVR-GSM", "arxiv:2501.00656", "arxiv:2411.15124",
            "base_model:allenai/OLMo-2-1124-7B-DPO", "base_model:finetune:allenai/OLMo-2-1124-7B-DPO",
            "license:apache-2.0", "autotrain_compatible", "text-generation-inference",
            "endpoints_compatible", "region:us",
        ],
    },
    "google/gemma-2-9b": {
        "_id": "6667a3f2b4f5c5d1e2a3b4c5",
        "id": "google/gemma-2-9b",
        "author": "google",
        "cardData": {"license": "gemma", "library_name": "transformers", "pipeline_tag": "text-generation",
                     "extra_gated_heading": "Access Gemma on Hugging Face"},
        "config": {"architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2"},
        "createdAt": "2024-06-24T08:05:41.000Z",
        "gated": "auto",
        "private": False,
        "siblings": [{"rfilename": f} for f in [
            ".gitattributes", "README.md", "config.json", "model-00001-of-00008.safetensors",
            "model.safetensors.index.json", "tokenizer.json",
        ]],
        "tags": ["transformers", "safetensors", "gemma2", "text-generation", "arxiv:2009.03300",
                 "license:gemma", "region:us"],
    },
    # a repo with only documentation: proves nothing about the weights
    "acme/paper-only": {
        "_id": "65f000000000000000000001",
        "id": "acme/paper-only",
        "author": "acme",
        "cardData": {"license": "other", "license_name": "acme-research-license",
                     "license_link": "https://acme.example/license"},
        "createdAt": "2024-03-01T10:00:00.000Z",
        "gated": False,
        "private": False,
        "siblings": [{"rfilename": ".gitattributes"}, {"rfilename": "README.md"}],
        "tags": ["license:other", "region:us"],
    },
    "acme/private-model": {
        "_id": "65f000000000000000000002",
        "id": "acme/private-model",
        "author": "acme",
        "cardData": {"license": "mit"},
        "createdAt": "2025-01-02T10:00:00.000Z",
        "gated": False,
        "private": True,
        "siblings": [{"rfilename": "README.md"}, {"rfilename": "model.safetensors"}],
        "tags": ["license:mit"],
    },
    # recorded shapes of the four base-model relations the Hub derives tags for
    "acme/llama-3.1-8b-medical-lora": {  # a PEFT adapter only: an adapter of its base, no released weights
        "_id": "66a000000000000000000001",
        "id": "acme/llama-3.1-8b-medical-lora",
        "author": "acme",
        "cardData": {"base_model": "meta-llama/Llama-3.1-8B", "library_name": "peft", "license": "llama3.1",
                     "pipeline_tag": "text-generation", "tags": ["lora", "medical"]},
        "createdAt": "2024-09-02T09:00:00.000Z",
        "gated": False,
        "pipeline_tag": "text-generation",
        "private": False,
        "siblings": [{"rfilename": f} for f in [".gitattributes", "README.md", "adapter_config.json",
                                                "adapter_model.safetensors", "training_args.bin"]],
        "tags": ["peft", "safetensors", "lora", "medical", "text-generation",
                 "base_model:meta-llama/Llama-3.1-8B", "base_model:adapter:meta-llama/Llama-3.1-8B",
                 "license:llama3.1", "region:us"],
    },
    "acme/Llama-3.1-8B-GGUF": {  # quantised weights, licence text in the repo
        "_id": "66a000000000000000000002",
        "id": "acme/Llama-3.1-8B-GGUF",
        "author": "acme",
        "cardData": {"base_model": "meta-llama/Llama-3.1-8B", "license": "other", "license_name": "llama3.1",
                     "license_link": "LICENSE", "pipeline_tag": "text-generation", "quantized_by": "acme"},
        "createdAt": "2024-07-24T12:00:00.000Z",
        "gated": False,
        "pipeline_tag": "text-generation",
        "private": False,
        "siblings": [{"rfilename": f} for f in [".gitattributes", "LICENSE", "README.md",
                                                "Llama-3.1-8B-Q4_K_M.gguf", "Llama-3.1-8B-Q8_0.gguf"]],
        "tags": ["gguf", "text-generation", "base_model:meta-llama/Llama-3.1-8B",
                 "base_model:quantized:meta-llama/Llama-3.1-8B", "license:other", "region:us"],
    },
    "acme/merged-7b": {  # a merge of two models, with evaluation results in its model-index
        "_id": "66a000000000000000000003",
        "id": "acme/merged-7b",
        "author": "acme",
        "cardData": {
            "base_model": ["allenai/OLMo-2-1124-7B-Instruct", "allenai/OLMo-2-1124-7B-DPO"],
            "library_name": "transformers", "license": "apache-2.0", "tags": ["mergekit", "merge"],
            "model-index": [{"name": "merged-7b", "results": [{
                "task": {"type": "text-generation", "name": "Text Generation"},
                "dataset": {"name": "GSM8k (5-shot)", "type": "gsm8k", "config": "main", "split": "test"},
                "metrics": [{"type": "acc", "value": 61.2, "name": "accuracy"}],
                "source": {"url": "https://huggingface.co/spaces/open-llm-leaderboard/open_llm_leaderboard",
                           "name": "Open LLM Leaderboard"}}]}],
        },
        "config": {"architectures": ["Olmo2ForCausalLM"], "model_type": "olmo2"},
        "createdAt": "2024-12-10T12:00:00.000Z",
        "gated": False,
        "pipeline_tag": "text-generation",
        "private": False,
        "siblings": [{"rfilename": f} for f in [".gitattributes", "README.md", "config.json",
                                                "mergekit_config.yml", "model.safetensors"]],
        "tags": ["transformers", "safetensors", "olmo2", "text-generation", "mergekit", "merge",
                 "base_model:allenai/OLMo-2-1124-7B-DPO", "base_model:allenai/OLMo-2-1124-7B-Instruct",
                 "base_model:merge:allenai/OLMo-2-1124-7B-DPO", "base_model:merge:allenai/OLMo-2-1124-7B-Instruct",
                 "license:apache-2.0", "model-index", "region:us"],
    },
    "acme/whisper-small-de": {  # a fine-tune of a speech model
        "_id": "66a000000000000000000004",
        "id": "acme/whisper-small-de",
        "author": "acme",
        "cardData": {"base_model": "openai/whisper-small", "license": "apache-2.0", "language": ["de"],
                     "pipeline_tag": "automatic-speech-recognition"},
        "config": {"architectures": ["WhisperForConditionalGeneration"], "model_type": "whisper"},
        "createdAt": "2025-02-01T12:00:00.000Z",
        "gated": False,
        "pipeline_tag": "automatic-speech-recognition",
        "private": False,
        "siblings": [{"rfilename": f} for f in [".gitattributes", "README.md", "config.json", "model.safetensors"]],
        "tags": ["transformers", "safetensors", "whisper", "automatic-speech-recognition", "de",
                 "base_model:openai/whisper-small", "base_model:finetune:openai/whisper-small",
                 "license:apache-2.0", "region:us"],
    },
}
PRIVATE = {"acme/private-model"}
RATE_LIMITED = {"limited/model"}


class HubHandler(BaseHTTPRequestHandler):
    """Answers ``/api/models/<repo_id>`` like the Hub; records the requests it saw."""

    requests: list[dict] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        type(self).requests.append(
            {"path": url.path, "query": query, "authorization": self.headers.get("Authorization"),
             "user_agent": self.headers.get("User-Agent")}
        )
        if not url.path.startswith("/api/models/"):
            return self._send(404, {"error": "Not Found"})
        repo_id = unquote(url.path[len("/api/models/"):])
        if repo_id in RATE_LIMITED:
            return self._send(
                429,
                {"error": "You have exceeded our hourly quotas for action: api."},
                {"RateLimit": '"api";r=0;t=55', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'},
            )
        model = MODELS.get(repo_id)
        if model is None:
            return self._send(404, {"error": "Repository not found"},
                              {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"})
        if repo_id in PRIVATE and self.headers.get("Authorization") != f"Bearer {TOKEN}":
            message = "Invalid username or password."
            return self._send(401, {"error": message}, {"X-Error-Code": "RepoNotFound", "X-Error-Message": message})
        expand = query.get("expand") or query.get("expand[]")
        body = {k: v for k, v in model.items() if not expand or k in ("_id", "id") or k in expand}
        return self._send(200, body)

    def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet test output
        pass


class FakeHub:
    """The fake Hub running in a thread; ``url`` is its endpoint."""

    def __init__(self) -> None:
        HubHandler.requests = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), HubHandler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def requests(self) -> list[dict]:
        return HubHandler.requests

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
