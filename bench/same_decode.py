"""SAME decoding benchmark: a two-minute 48 kHz recording, our decoder against multimon-ng.

The recording is a whole activation at 48 kHz 16-bit mono: three header bursts, two minutes
of noise standing in for the spoken message (the decoder searches all of it for bursts), and
three end-of-message bursts. Our figure is reading the WAV and decoding it; the baseline,
measured in the same run on the same file, is what a user of multimon-ng runs: sox
converting to 22 050 Hz raw audio piped into `multimon-ng -t raw -a EAS`. Each figure is the
median of several rounds. Run: .venv/bin/python bench/same_decode.py [--rounds N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bluealert.formats.same.afsk import modulate, silence
from bluealert.formats.same.audio import wav_bytes
from bluealert.formats.same.decoder import decode
from bluealert.formats.same.wav import read_wav

HEADER = "ZCZC-CIV-BLU-048113-048121+0600-3281500-KXYZ/FM -"
RATE = 48_000
MESSAGE_SECONDS = 120.0


def _recording() -> bytes:
    bursts = [
        part
        for data in [HEADER.encode()] * 3
        for part in (modulate(data, RATE), silence(1.0, RATE))
    ]
    ends = [part for _ in range(3) for part in (modulate(b"NNNN", RATE), silence(1.0, RATE))]
    message = np.random.default_rng(1).normal(0, 0.1, round(MESSAGE_SECONDS * RATE))
    return wav_bytes(np.concatenate([*bursts, message.astype(np.float32), *ends]), rate=RATE)


def _seconds(action: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _multimon(path: Path) -> list[str]:
    sox, multimon = shutil.which("sox"), shutil.which("multimon-ng")
    if sox is None or multimon is None:
        raise SystemExit("sox and multimon-ng are needed (Debian packages sox, multimon-ng)")
    convert = [sox, str(path), "-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1"]
    raw = subprocess.run([*convert, "-"], capture_output=True, check=True).stdout
    done = subprocess.run(
        [multimon, "-q", "-t", "raw", "-a", "EAS", "-"], input=raw, capture_output=True, check=True
    )
    return done.stdout.decode().splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    data = _recording()
    audio_seconds = (len(data) - 44) / 2 / RATE
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "activation-48k.wav"
        path.write_bytes(data)
        found = decode(*read_wav(path.read_bytes()))
        assert (found.headers, found.end_of_message) == ([HEADER], 3), found
        assert _multimon(path) == [f"EAS: {HEADER}"] + ["EAS: NNNN"] * 3
        ours = _seconds(lambda: decode(*read_wav(path.read_bytes())), rounds)
        theirs = _seconds(lambda: _multimon(path), rounds)
    print(f"recording: {audio_seconds:.1f} s at {RATE} Hz, 16-bit mono")
    print(f"our read_wav + decode:             {ours:8.2f} s")
    print(f"sox | multimon-ng (baseline):      {theirs:8.2f} s")
    print(f"audio_seconds={audio_seconds:.1f}")
    print(f"same_decode_s={ours:.2f}")
    print(f"multimon_s={theirs:.2f}")
    print(f"same_decode_vs_multimon_ratio={ours / theirs:.2f}")
    print(f"same_decode_realtime_factor={audio_seconds / ours:.0f}")


if __name__ == "__main__":
    main()
