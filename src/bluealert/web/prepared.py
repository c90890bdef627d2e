"""A public answer encoded once and sent many times: only the date and request id vary.

A feed snapshot or a public listing is the same bytes for every client until it changes. Its
status line and header lines, for a 200 and for a 304, are encoded when it is made, so that
answering it is a join of a few byte strings (`web.lane_protocol`), or a list handed to ASGI
(`web.public_lane`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bluealert.web.middleware import SECURITY_HEADERS

Headers = list[tuple[bytes, bytes]]
BODY_HEADERS = (b"content-type", b"content-length")  # not sent with a 304 (RFC 9110 15.4.5)


def encode_lines(headers: Headers) -> bytes:
    return b"".join(name + b": " + value + b"\r\n" for name, value in headers)


@dataclass(frozen=True)
class Prepared:
    etag: bytes
    body: bytes
    headers: Headers  # of a 200, but the date and the request id
    not_modified_headers: Headers
    ok_head: bytes  # the status line and those headers' lines, encoded
    not_modified_head: bytes

    @classmethod
    def of(cls, body: bytes, media_type: bytes, etag: bytes, cache_control: bytes) -> Prepared:
        headers = [
            (b"content-type", media_type),
            (b"content-length", str(len(body)).encode()),
            (b"etag", etag),
            (b"cache-control", cache_control),
            *SECURITY_HEADERS,
        ]
        not_modified = [h for h in headers if h[0] not in BODY_HEADERS]
        return cls(
            etag=etag,
            body=body,
            headers=headers,
            not_modified_headers=not_modified,
            ok_head=b"HTTP/1.1 200 OK\r\n" + encode_lines(headers),
            not_modified_head=b"HTTP/1.1 304 Not Modified\r\n" + encode_lines(not_modified),
        )
