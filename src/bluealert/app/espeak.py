"""The espeak-ng speaker for SAME audio (Debian package espeak-ng), run as a subprocess."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np

from bluealert.errors import BlueAlertError
from bluealert.formats.same.afsk import RATE, Samples
from bluealert.formats.same.audio import read_wav

VOICES = {"en": "en-us", "es": "es-419"}


class EspeakSpeaker:
    """Speaks with espeak-ng; its audio is resampled to 22 050 Hz when it differs."""

    def __init__(self, words_per_minute: int = 150) -> None:
        self.binary = shutil.which("espeak-ng")
        if self.binary is None:
            raise BlueAlertError("espeak-ng is not installed (Debian package espeak-ng)")
        self.words_per_minute = words_per_minute

    def speak(self, text: str, language: str) -> Samples:
        assert self.binary is not None
        done = subprocess.run(
            [
                self.binary,
                "-v",
                VOICES.get(language, language),
                "-s",
                str(self.words_per_minute),
                "--stdout",
                text,
            ],
            capture_output=True,
            check=False,
            timeout=60,
        )
        if done.returncode != 0:
            raise BlueAlertError(f"espeak-ng failed: {done.stderr.decode(errors='replace')}")
        samples, rate = read_wav(done.stdout)
        return samples if rate == RATE else _resample(samples, rate)


def _resample(samples: Samples, rate: int) -> Samples:
    count = int(len(samples) * RATE / rate)
    positions = np.linspace(0, len(samples) - 1, count)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
