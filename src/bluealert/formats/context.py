"""What a renderer needs besides the alert: who sends, when, and as which station."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RenderContext:
    now: datetime
    sender: str = "bluealert@bluealert.example"
    station_id: str = "BLUALERT"
    base_url: str = "http://127.0.0.1:8000"
