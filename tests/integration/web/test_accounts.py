"""Signing in: argon2id passwords, TOTP, lockout with back-off, idle expiry, sign-out, CSRF,
API keys, rate limits, and the audit events each leaves."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
from sqlalchemy import text

from tests.integration.web.conftest import PASSWORD, Web

LOGIN = "/api/v1/session"


def _login(web: Web, username: str, password: str = PASSWORD, code: str | None = None) -> object:
    return web.client.post(
        LOGIN,
        json={
            "username": username,
            "password": password,
            "code": web.code(username) if code is None else code,
        },
    )


def test_a_session_cookie_is_secure_httponly_and_strict(web: Web) -> None:
    web.give_password("dep.odell")
    answer = web.new_client().post(LOGIN, json={"username": "dep.odell", "password": PASSWORD})
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("bluealert_session=")
    for attribute in ("Secure", "HttpOnly", "SameSite=strict", "Path=/"):
        assert attribute.lower() in cookie.lower()
    assert "max-age" not in cookie.lower()  # ends with the browser or 30 minutes idle
    body = answer.json()
    assert body["username"] == "dep.odell"
    assert len(body["csrf_token"]) >= 40
    stored = [
        row[0]
        for row in web.ctx.engine.connect().execute(text("SELECT password_hash FROM credentials"))
    ]
    assert stored[0].startswith("$argon2id$")
    assert PASSWORD not in stored[0]


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(web: Web) -> None:
    web.give_password("dep.odell")
    wrong = _login(web, "dep.odell", "not the password at all")
    unknown = _login(web, "nobody.here", PASSWORD)
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert answer.json()["detail"] == "wrong username, password or code"
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert "set-cookie" not in answer.headers
    assert web.audit_actions().count("account.login_failed") == 2


def test_coordinators_need_their_totp_code_once(web: Web) -> None:
    web.give_password("tx.kim")
    assert _login(web, "tx.kim", code="").status_code == 401
    wrong = f"{(int(web.code('tx.kim')) + 1) % 1_000_000:06d}"
    assert _login(web, "tx.kim", code=wrong).status_code == 401
    code = web.code("tx.kim")
    assert _login(web, "tx.kim", code=code).status_code == 200
    assert _login(web, "tx.kim", code=code).status_code == 401  # a used code is spent
    web.clock.advance(seconds=30)
    assert _login(web, "tx.kim").status_code == 200


def test_five_failures_lock_the_account_for_longer_each_time(web: Web) -> None:
    web.give_password("dep.odell")
    for _ in range(5):
        assert _login(web, "dep.odell", "a wrong password!").status_code == 401
    locked = _login(web, "dep.odell")  # even the right password is refused while locked
    assert locked.status_code == 423
    assert locked.headers["retry-after"] == "60"
    web.clock.advance(seconds=61)
    assert _login(web, "dep.odell").status_code == 200  # a success starts the count afresh
    for _ in range(4):
        assert _login(web, "dep.odell", "a wrong password!").status_code == 401
    assert _login(web, "dep.odell").status_code == 200
    web.clock.advance(seconds=61)  # past the rate limit's minute
    for _ in range(5):
        _login(web, "dep.odell", "a wrong password!")
    assert _login(web, "dep.odell").status_code == 423
    web.clock.advance(seconds=61)
    assert _login(web, "dep.odell").status_code == 200  # lockouts counted anew after success
    actions = web.audit_actions()
    assert actions.count("account.locked") == 2
    assert actions.count("account.login") == 3


def test_the_second_lockout_lasts_twice_as_long(web: Web) -> None:
    web.give_password("dep.odell")
    for _ in range(5):
        _login(web, "dep.odell", "a wrong password!")
    web.clock.advance(seconds=61)
    for _ in range(5):
        _login(web, "dep.odell", "a wrong password!")
    locked = _login(web, "dep.odell")
    assert locked.headers["retry-after"] == "120"
    web.clock.advance(seconds=119)
    assert _login(web, "dep.odell").status_code == 423
    web.clock.advance(seconds=2)
    assert _login(web, "dep.odell").status_code == 200


def test_a_session_ends_after_30_minutes_idle(web: Web) -> None:
    signed = web.sign_in("dep.odell")
    for _ in range(3):  # active use keeps it alive past 30 minutes in all
        web.clock.advance(minutes=20)
        assert signed.client.get(LOGIN).status_code == 200
    web.clock.advance(minutes=30)
    ended = signed.client.get(LOGIN)
    assert ended.status_code == 401
    assert "idle" in ended.json()["detail"]
    assert "account.session_expired" in web.audit_actions()


def test_sign_out_and_sign_out_everywhere(web: Web) -> None:
    first, second, third = (web.sign_in("dep.odell") for _ in range(3))
    assert first.client.delete(LOGIN, headers=first.headers()).status_code == 204
    assert first.client.get(LOGIN).status_code == 401
    assert second.client.get(LOGIN).status_code == 200
    ended = second.client.delete("/api/v1/sessions", headers=second.headers())
    assert ended.json() == {"ended": 2}
    assert third.client.get(LOGIN).status_code == 401
    assert "account.logout_everywhere" in web.audit_actions()


def test_changes_with_a_cookie_need_the_csrf_token(web: Web) -> None:
    signed = web.sign_in("dep.odell")
    for headers in ({}, {"x-csrf-token": "forged"}, {"x-csrf-token": ""}):
        refused = signed.client.delete(LOGIN, headers=headers)
        assert refused.status_code == 403
        assert "x-csrf-token" in refused.json()["detail"]
    assert signed.client.get(LOGIN).status_code == 200  # still signed in
    assert signed.client.delete(LOGIN, headers=signed.headers()).status_code == 204
    assert web.audit_actions().count("access.refused") == 3


def _make_key(web: Web, owner: str, scopes: list[str]) -> dict[str, object]:
    admin = web.sign_in("admin")
    made = admin.client.post(
        "/api/v1/api-keys",
        json={"name": "state CAD", "owner_kind": "user", "owner": owner, "scopes": scopes},
        headers=admin.headers(),
    )
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_api_keys_are_shown_once_stored_hashed_and_revocable(web: Web) -> None:
    made = _make_key(web, "natl.brooks", ["read"])
    secret = str(made["secret"])
    key_id = made["key"]["id"]  # type: ignore[index]
    assert re.fullmatch(rf"bak_{key_id}_[A-Za-z0-9_-]{{43}}", secret)
    bearer = {"authorization": f"Bearer {secret}"}
    me = web.new_client().get(LOGIN, headers=bearer)
    assert me.status_code == 200
    assert me.json()["via"] == "api_key"
    assert me.json()["username"] == "natl.brooks"
    with web.ctx.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM api_keys")).all()
    assert secret.split("_", 2)[2] not in repr(rows)
    admin = web.sign_in("admin")
    listed = admin.client.get("/api/v1/api-keys").json()
    assert "secret" not in listed[0]
    assert listed[0]["last_used_at"] is not None
    assert admin.client.delete(f"/api/v1/api-keys/{key_id}", headers=admin.headers()).json()[
        "revoked_at"
    ]
    assert web.new_client().get(LOGIN, headers=bearer).status_code == 401
    actions = web.audit_actions()
    assert "api_key.used" in actions
    assert "api_key.revoked" in actions
    assert "api_key.refused" in actions


def test_a_read_key_cannot_change_anything_and_needs_no_csrf_to_write(web: Web) -> None:
    reader = str(_make_key(web, "admin", ["read"])["secret"])
    writer = str(_make_key(web, "admin", ["read", "write"])["secret"])
    body = {"name": "x", "owner_kind": "user", "owner": "admin", "scopes": ["read"]}
    refused = web.new_client().post(
        "/api/v1/api-keys", json=body, headers={"authorization": f"Bearer {reader}"}
    )
    assert refused.status_code == 403
    assert "read scope" in refused.json()["detail"]
    allowed = web.new_client().post(
        "/api/v1/api-keys", json=body, headers={"authorization": f"Bearer {writer}"}
    )
    assert allowed.status_code == 201


@pytest.mark.parametrize("presented", ["Bearer nonsense", "Bearer bak_0000_x", "Bearer "])
def test_a_bad_key_is_not_authenticated(web: Web, presented: str) -> None:
    answer = web.client.get(LOGIN, headers={"authorization": presented})
    assert answer.status_code == 401


def test_sign_in_attempts_are_rate_limited_per_address(web: Web) -> None:
    for _ in range(10):
        assert _login(web, "nobody.here").status_code == 401
    limited = _login(web, "nobody.here")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["type"] == "/problems/too-many-requests"


def test_a_new_authenticator_is_enrolled_with_a_qr_code(web: Web) -> None:
    signed = web.sign_in("tx.kim")
    enrolment = signed.client.post("/api/v1/me/totp", headers=signed.headers()).json()
    uri = urlparse(enrolment["uri"])
    assert uri.scheme == "otpauth"
    assert uri.netloc == "totp"
    assert parse_qs(uri.query)["secret"] == [enrolment["secret"]]
    assert parse_qs(uri.query)["issuer"] == ["bluealert"]
    assert enrolment["qr_svg"].startswith("data:image/svg+xml")
    new = pyotp.TOTP(enrolment["secret"])
    bad = signed.client.post(
        "/api/v1/me/totp/confirm", json={"code": "000000"}, headers=signed.headers()
    )
    assert bad.status_code == 422
    confirmed = signed.client.post(
        "/api/v1/me/totp/confirm",
        json={"code": new.at(web.clock.now)},
        headers=signed.headers(),
    )
    assert confirmed.status_code == 204
    web.clock.advance(seconds=30)
    old_code = pyotp.TOTP(web.totp_secrets["tx.kim"]).at(web.clock.now)
    assert _login(web, "tx.kim", code=old_code).status_code == 401
    assert _login(web, "tx.kim", code=new.at(web.clock.now)).status_code == 200


def test_admins_add_people_and_coordinators_get_a_second_factor(web: Web) -> None:
    admin = web.sign_in("admin")
    person = {
        "username": "ok.ruiz",
        "display_name": "Lt. Ruiz",
        "roles": ["state_coordinator"],
        "states": ["ok"],
        "password": "a long enough passphrase",
    }
    made = admin.client.post("/api/v1/users", json=person, headers=admin.headers())
    assert made.status_code == 201, made.text
    assert made.json()["user"]["states"] == ["OK"]
    secret = made.json()["totp"]["secret"]
    web.clock.advance(seconds=30)
    code = pyotp.TOTP(secret).at(web.clock.now)
    assert _login(web, "ok.ruiz", "a long enough passphrase", code).status_code == 200
    weak = {**person, "username": "ok.weak", "password": "short"}
    refused = admin.client.post("/api/v1/users", json=weak, headers=admin.headers())
    assert refused.status_code == 422
    assert refused.json()["field"] == "password"
    assert admin.client.get("/api/v1/users/ok.weak").status_code == 404  # nothing stored


def test_a_refusal_is_audited_with_who_and_where(web: Web) -> None:
    deputy = web.sign_in("dep.odell")
    refused = deputy.client.get("/api/v1/users")
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/not-allowed"
    assert web.audit_actions()[-1] == "access.refused"


def test_password_change_needs_the_current_one_and_ends_every_session(web: Web) -> None:
    signed, other = web.sign_in("dep.odell"), web.sign_in("dep.odell")
    wrong = {"current_password": "not it at all", "new_password": "another long phrase"}
    assert (
        signed.client.put("/api/v1/me/password", json=wrong, headers=signed.headers()).status_code
        == 401
    )
    right = {"current_password": PASSWORD, "new_password": "another long phrase"}
    changed = signed.client.put("/api/v1/me/password", json=right, headers=signed.headers())
    assert changed.status_code == 204
    assert other.client.get(LOGIN).status_code == 401
    assert _login(web, "dep.odell", "another long phrase").status_code == 200
