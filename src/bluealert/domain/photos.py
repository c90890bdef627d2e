"""Photo checks: the type by content, a size cap, and every piece of metadata stripped.

Bytes in, bytes out: the cleaned image is re-encoded from its pixels only, so EXIF (with GPS
positions of where a photo was taken), XMP, ICC and comments never leave the requester.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from bluealert.errors import InvalidPhoto

MAX_PIXELS = 40_000_000

_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
)


@dataclass(frozen=True, slots=True)
class CheckedPhoto:
    data: bytes
    media_type: str
    sha256: str
    sha1: str
    width: int
    height: int


def sniff(data: bytes) -> tuple[str, str]:
    """The media type and Pillow format, from the first bytes (never from a file name)."""
    for magic, media_type, pil_format in _MAGIC:
        if data.startswith(magic):
            return media_type, pil_format
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "WEBP"
    raise InvalidPhoto("the content is not a JPEG, PNG or WebP image", field="photo")


def _decode(data: bytes, pil_format: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[pil_format])
            if image.width * image.height > MAX_PIXELS:
                raise InvalidPhoto(
                    f"the image has {image.width}×{image.height} pixels; at most "
                    f"{MAX_PIXELS:,} are accepted",
                    field="photo",
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidPhoto("the image is a decompression bomb", field="photo") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise InvalidPhoto(f"the image cannot be read: {error}", field="photo") from error
    return image


def _clean(image: Image.Image, pil_format: str) -> Image.Image:
    upright = ImageOps.exif_transpose(image)  # keep the orientation EXIF described
    mode = "RGBA" if upright.mode in ("RGBA", "LA", "P") and pil_format != "JPEG" else "RGB"
    pixels_only = Image.new(mode, upright.size)
    pixels_only.paste(upright.convert(mode))
    return pixels_only


def _encode(image: Image.Image, pil_format: str) -> bytes:
    out = io.BytesIO()
    options = {"quality": 90} if pil_format in ("JPEG", "WEBP") else {}
    image.save(out, format=pil_format, **options)
    return out.getvalue()


def check_photo(data: bytes, max_bytes: int) -> CheckedPhoto:
    """Check a photo and return it with all metadata stripped, addressed by its SHA-256."""
    if len(data) > max_bytes:
        raise InvalidPhoto(
            f"the photo is {len(data):,} bytes; the cap is {max_bytes:,}", field="photo"
        )
    media_type, pil_format = sniff(data)
    image = _clean(_decode(data, pil_format), pil_format)
    cleaned = _encode(image, pil_format)
    return CheckedPhoto(
        data=cleaned,
        media_type=media_type,
        sha256=hashlib.sha256(cleaned).hexdigest(),
        sha1=hashlib.sha1(cleaned, usedforsecurity=False).hexdigest(),
        width=image.width,
        height=image.height,
    )
