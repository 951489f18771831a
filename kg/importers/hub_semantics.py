"""What a Hub repository's metadata means for a record: lineage, adapters, modality, licence text, evaluations.

The Hub states a model's lineage in its card (``base_model``, ``base_model_relation``) and in the tags
it derives from them (``base_model:<relation>:<repo>``, relation ``adapter``, ``quantized``, ``merge``
or ``finetune``); a repo holding only a PEFT adapter (``adapter_config.json`` and ``adapter_model.*``)
is an adapter of its base, not a release of trained weights; ``pipeline_tag`` names the task, from
which the modality follows; ``license_link`` points at the licence text; ``model-index`` holds
evaluation results (https://huggingface.co/docs/hub/model-cards).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

#: The Hub's base-model relation -> the record's derivation kind (docs/records.md ``based_on``).
RELATION_KINDS = {"adapter": "adapter", "quantized": "quantisation", "merge": "merge", "finetune": "fine-tune"}
#: Files that make up a PEFT adapter (not trained weights of a whole model).
ADAPTER_FILES = ("adapter_config.json",)
ADAPTER_WEIGHTS = ("adapter_model.safetensors", "adapter_model.bin")

_TEXT = ("text-generation", "text2text-generation", "fill-mask", "question-answering", "summarization",
         "translation", "text-classification", "token-classification", "zero-shot-classification",
         "table-question-answering", "conversational")
_VISION_LANGUAGE = ("image-text-to-text", "visual-question-answering", "document-question-answering",
                    "image-to-text", "video-text-to-text", "any-to-any")
_IMAGE = ("text-to-image", "image-to-image", "unconditional-image-generation", "image-classification",
          "object-detection", "image-segmentation", "depth-estimation", "mask-generation",
          "zero-shot-image-classification", "zero-shot-object-detection", "image-feature-extraction")
_VIDEO = ("text-to-video", "image-to-video", "video-classification")
_AUDIO = ("automatic-speech-recognition", "text-to-speech", "text-to-audio", "audio-classification",
          "audio-to-audio", "voice-activity-detection", "audio-text-to-text")
_EMBEDDING = ("feature-extraction", "sentence-similarity")
#: The Hub's pipeline tag -> the record's modality slug.
PIPELINE_MODALITY = {
    **dict.fromkeys(_TEXT, "text"), **dict.fromkeys(_VISION_LANGUAGE, "vision-language"),
    **dict.fromkeys(_IMAGE, "image"), **dict.fromkeys(_VIDEO, "video"), **dict.fromkeys(_AUDIO, "audio"),
    **dict.fromkeys(_EMBEDDING, "embedding"),
}


def is_adapter_only(files: Sequence[str], is_weight_file: Callable[[str], bool]) -> bool:
    """Whether a repo holds a PEFT adapter and no other weight file."""
    names = {f.rsplit("/", 1)[-1] for f in files}
    weights = [f for f in files if is_weight_file(f)]
    return (any(a in names for a in ADAPTER_FILES)
            and all(f.rsplit("/", 1)[-1] in ADAPTER_WEIGHTS for f in weights))


def base_models(card: Mapping[str, Any], tags: Iterable[str], is_repo: Callable[[str], bool],
                adapter_only: bool) -> list[tuple[str, str | None]]:
    """``(base repo id, derivation kind or None)`` for each base model, in the card's order.

    The kind comes from the tag ``base_model:<relation>:<repo>``, else the card's ``base_model_relation``,
    else ``adapter`` when the repo holds only an adapter; otherwise it stays unstated.
    """
    tagged: dict[str, str] = {}
    untagged: list[str] = []
    for tag in tags:
        parts = tag.split(":")
        if parts[0] != "base_model":
            continue
        if len(parts) == 3 and parts[1] in RELATION_KINDS and is_repo(parts[2]):
            tagged.setdefault(parts[2], RELATION_KINDS[parts[1]])
        elif len(parts) == 2 and is_repo(parts[1]):
            untagged.append(parts[1])
    declared = card.get("base_model")
    bases = [str(b) for b in (declared if isinstance(declared, list) else [declared]) if b and is_repo(str(b))]
    relation = RELATION_KINDS.get(str(card.get("base_model_relation") or ""))
    out: dict[str, str | None] = {}
    for base in [*bases, *tagged, *untagged]:
        kind = tagged.get(base) or relation or ("adapter" if adapter_only else None)
        out.setdefault(base, kind)
    return list(out.items())


def modality(pipeline_tag: Any) -> str | None:
    """The modality a pipeline tag implies (``text-generation`` -> ``text``), or None."""
    return PIPELINE_MODALITY.get(str(pipeline_tag or ""))


def licence_text_url(license_link: Any, page: str) -> str | None:
    """The licence text's URL: ``license_link`` as given, or resolved in the repo when it is a file name."""
    link = str(license_link or "").strip()
    if not link:
        return None
    if link.startswith(("https://", "http://")):
        return link
    if "/" in link.strip("/") or "." in link or link.isupper() or link.startswith("LICENSE"):
        return f"{page}/blob/main/{link.lstrip('./')}"
    return None


def evaluation_sources(model_index: Any, page: str) -> list[str] | None:
    """The sources of a card's ``model-index`` results (their ``source.url``, else the card), or None when it
    holds no result with a metric value."""
    sources: list[str] = []
    found = False
    for entry in model_index if isinstance(model_index, list) else []:
        for result in (entry.get("results") or []) if isinstance(entry, Mapping) else []:
            if not isinstance(result, Mapping):
                continue
            metrics = result.get("metrics") or []
            if any(isinstance(m, Mapping) and m.get("value") is not None for m in metrics):
                found = True
                source = result.get("source")
                url = source.get("url") if isinstance(source, Mapping) else None
                if isinstance(url, str) and url.startswith(("https://", "http://")):
                    sources.append(url)
    if not found:
        return None
    return list(dict.fromkeys([*sources, page]))
