"""What a renderer needs besides the alert: who sends, when, as which station, with what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np
import numpy.typing as npt


class Signer(Protocol):
    """Signs a CAP document (an enveloped XML signature)."""

    def sign(self, document: bytes) -> bytes: ...


class Speaker(Protocol):
    """Turns text into mono float samples at 22 050 Hz (espeak-ng in production)."""

    def speak(self, text: str, language: str) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True)
class RenderContext:
    now: datetime
    sender: str = "bluealert@bluealert.example"
    station_id: str = "BLUALERT"
    base_url: str = "http://127.0.0.1:8000"
    sign_profile: str = "3x18"
    signer: Signer | None = None
    speaker: Speaker | None = None
