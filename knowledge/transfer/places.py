"""Places: how one fact of a knowledge-base file is named, e.g. "calls[0].tracks[1].deadline".

Problems, the history of changes and edits by place all speak of facts this way.
"""
import re
from typing import Any, Dict, List, Union

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def steps(place: str) -> List[Union[str, int]]:
    """The keys and list indexes leading to a place: "calls[0].deadline" -> ["calls", 0, "deadline"]."""
    return [name or int(index) for name, index in _STEP.findall(place)]


def flatten(data: Any, place: str = "") -> Dict[str, str]:
    """Every leaf of a knowledge-base file by its place: {"calls[0].tracks[1].deadline": "2024-03-19"}."""
    if isinstance(data, dict):
        return {k: v for key, value in data.items() for k, v in flatten(value, f"{place}.{key}" if place else str(key)).items()}
    if isinstance(data, list):
        return {k: v for i, value in enumerate(data) for k, v in flatten(value, f"{place}[{i}]").items()} or {place: "[]"}
    return {place: "" if data is None else str(data)}
