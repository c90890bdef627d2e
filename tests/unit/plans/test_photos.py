"""Photos: type by content, size cap, bombs refused, all metadata (EXIF GPS) stripped."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bluealert.domain.photos import check_photo
from bluealert.errors import InvalidPhoto

GPS_IFD = 0x8825
MAKE = 0x010F


def _image_bytes(fmt: str, size: tuple[int, int] = (64, 48), exif: bool = True) -> bytes:
    image = Image.new("RGB", size, (30, 60, 200))
    metadata = Image.Exif()
    metadata[MAKE] = "SecretCameraMaker"
    metadata[GPS_IFD] = {1: "N", 2: (32.0, 46.0, 36.0), 3: "W", 4: (96.0, 48.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format=fmt, **({"exif": metadata.tobytes()} if exif else {}))
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "media_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_metadata_is_stripped_and_the_type_comes_from_the_content(
    fmt: str, media_type: str
) -> None:
    data = _image_bytes(fmt)
    assert b"SecretCameraMaker" in data
    photo = check_photo(data, 1_000_000)
    assert photo.media_type == media_type
    assert b"SecretCameraMaker" not in photo.data
    reopened = Image.open(io.BytesIO(photo.data))
    assert reopened.format == fmt
    assert dict(reopened.getexif()) == {}
    assert (photo.width, photo.height) == (64, 48)


def test_the_address_is_the_sha256_of_the_cleaned_bytes() -> None:
    import hashlib

    photo = check_photo(_image_bytes("PNG"), 1_000_000)
    assert photo.sha256 == hashlib.sha256(photo.data).hexdigest()
    assert check_photo(_image_bytes("PNG"), 1_000_000).sha256 == photo.sha256


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"GIF89a" + b"\x00" * 100, "not a JPEG, PNG or WebP"),
        (b"%PDF-1.7 hello", "not a JPEG, PNG or WebP"),
        (b"", "not a JPEG, PNG or WebP"),
        (_image_bytes("JPEG")[:200], "cannot be read"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "cannot be read"),
    ],
)
def test_non_images_and_broken_images_are_refused(data: bytes, words: str) -> None:
    with pytest.raises(InvalidPhoto, match=words):
        check_photo(data, 1_000_000)


def test_the_size_cap_is_enforced_before_decoding() -> None:
    data = _image_bytes("PNG")
    with pytest.raises(InvalidPhoto, match="cap"):
        check_photo(data, len(data) - 1)


def test_a_decompression_bomb_is_refused() -> None:
    bomb = _image_bytes("PNG", size=(9000, 9000), exif=False)
    assert len(bomb) < 1_000_000
    with pytest.raises(InvalidPhoto, match=r"pixels|bomb"):
        check_photo(bomb, 1_000_000)
