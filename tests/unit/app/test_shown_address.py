"""Listings show where a recipient receives, never the secrets its address carries."""

from __future__ import annotations

import pytest

from bluealert.app.addresses import shown_address


@pytest.mark.parametrize(
    ("channel", "address", "shown"),
    [
        ("webhook", "https://newsroom.example/hook", "https://newsroom.example/hook"),
        ("webhook", "https://ops:hunter2@tv.example/in", "https://ops:****@tv.example/in"),
        (
            "cap_push",
            "https://peer.example/cap?token=s3cret&v=2",
            "https://peer.example/cap?token=…&v=…",
        ),
        (
            "web_push",
            "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ",
            "https://fcm.googleapis.com/…",
        ),
        ("apprise", "json://user:hunter2@127.0.0.1:8080/in", "json://user:****@127.0.0.1:8080/in"),
        ("apprise", "tgram://123456789:ABCdefGhIJKlmnOPQ/12345", "tgram://1...Q/12345/"),
        ("apprise", "pover://userkey0123@tokenabc0123?priority=high", "pover://u...3@t...3//?…"),
        ("apprise", "nonsense://whatever", "nonsense://…"),
        ("email", "resident@example.org", "resident@example.org"),
        ("mqtt", "signs/tx", "signs/tx"),
        ("ntcip", "10.1.2.3:161", "10.1.2.3:161"),
    ],
)
def test_secrets_are_masked_and_the_rest_is_shown(channel: str, address: str, shown: str) -> None:
    assert shown_address(channel, address) == shown


@pytest.mark.parametrize(
    ("channel", "address", "secret"),
    [
        ("apprise", "slack://TokenAAAA/TokenBBBB/TokenCCCC/#alerts", "TokenBBBB"),
        ("apprise", "mailto://alerts:pa55word@mail.example.org", "pa55word"),
        ("apprise", "ntfys://alerts:pa55word@ntfy.example.org/topic", "pa55word"),
        ("webhook", "https://a:pa55word@x.example/?key=pa55word", "pa55word"),
    ],
)
def test_a_secret_never_appears(channel: str, address: str, secret: str) -> None:
    assert secret not in shown_address(channel, address)
