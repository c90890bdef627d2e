"""`partners` and `subscriptions` commands against a fresh database."""

from __future__ import annotations

import json

from tests.integration.cli.conftest import Cli


def _operator(cli: Cli) -> None:
    assert cli("users", "add", "ops", "--role", "admin").exit_code == 0


def test_register_list_show_and_disable_a_partner(cli: Cli) -> None:
    _operator(cli)
    made = cli.json(
        "partners", "add", "KXAS-TV", "--kind", "media", "--channel", "webhook",
        "--address", "https://kxas.example/hook", "--state", "tx", "--county", "40109",
        "--format", "cap", "--format", "wea", "--status", "Actual", "--status", "Exercise",
        "--as", "ops",
    )  # fmt: skip
    assert made["secret"].startswith("whsec_")  # made for a webhook, shown once
    listed = cli.json("partners", "list")["partners"]
    assert [(p["name"], p["enabled"], p["secret"]) for p in listed] == [("KXAS-TV", True, "set")]
    shown = cli.json("partners", "show", "KXAS-TV")
    assert shown["area"] == {"nation": False, "states": ["TX"], "counties": ["40109"]}
    assert shown["statuses"] == ["Actual", "Exercise"]
    assert shown["secret"] == "set"
    assert cli.json("partners", "show", str(made["id"]))["name"] == "KXAS-TV"
    disabled = cli.json("partners", "disable", "KXAS-TV", "--as", "ops")
    assert disabled["enabled"] is False
    assert disabled["disabled_at"]


def test_a_bad_partner_is_refused_naming_the_field_and_changes_nothing(cli: Cli) -> None:
    _operator(cli)
    before = cli.snapshot()
    bad = cli(
        "partners", "add", "Newsroom", "--kind", "media", "--channel", "email",
        "--address", "newsroom", "--state", "TX", "--as", "ops",
    )  # fmt: skip
    assert bad.exit_code == 2
    assert "address" in bad.output
    leak = cli(
        "partners", "add", "Billboards", "--kind", "sign_system", "--channel", "mqtt",
        "--address", "signs/tx", "--state", "TX", "--format", "teletype", "--as", "ops",
    )  # fmt: skip
    assert leak.exit_code == 2
    assert "law_enforcement tier" in leak.output
    nowhere = cli(
        "partners", "add", "Nowhere", "--kind", "other", "--channel", "mqtt",
        "--address", "x/y", "--as", "ops",
    )  # fmt: skip
    assert nowhere.exit_code == 2
    assert "area" in nowhere.output
    assert cli.snapshot() == before
    assert cli("partners", "show", "ghost").exit_code != 0


def test_the_same_name_twice_is_refused(cli: Cli) -> None:
    _operator(cli)
    args = (
        "partners", "add", "DPS", "--kind", "law_enforcement", "--tier", "law_enforcement",
        "--channel", "email", "--address", "watch@dps.example", "--nation", "--as", "ops",
    )  # fmt: skip
    assert cli(*args).exit_code == 0
    again = cli(*args)
    assert again.exit_code == 2
    assert "already registered" in again.output


def test_subscriptions_add_list_remove(cli: Cli) -> None:
    _operator(cli)
    first = cli.json(
        "subscriptions", "add", "--channel", "email", "--address", "ana@example.org",
        "--zip", "75201", "--language", "es", "--as", "ops",
    )  # fmt: skip
    second = cli.json(
        "subscriptions", "add", "--channel", "mqtt", "--address", "home/alerts",
        "--lat", "32.78", "--lon", "-96.8", "--radius-km", "10", "--as", "ops",
    )  # fmt: skip
    listed = cli.json("subscriptions", "list")["subscriptions"]
    assert [(s["id"], s["place_kind"], s["language"], s["confirmed"]) for s in listed] == [
        (first["id"], "zip", "es", True),
        (second["id"], "point", "en", True),
    ]
    assert listed[1]["place"] == "32.7800,-96.8000 +10 km"
    mqtt = cli.json("subscriptions", "list", "--channel", "mqtt")["subscriptions"]
    assert [s["id"] for s in mqtt] == [second["id"]]
    after = cli.json("subscriptions", "list", "--after", str(first["id"]))["subscriptions"]
    assert after[0]["id"] == second["id"]
    removed = cli("subscriptions", "remove", str(first["id"]), "--as", "ops", "--json")
    assert json.loads(removed.stdout) == {"removed": first["id"]}
    left = cli.json("subscriptions", "list")["subscriptions"]
    assert [s["id"] for s in left] == [second["id"]]
    assert cli("subscriptions", "remove", str(first["id"]), "--as", "ops").exit_code != 0


def test_a_subscription_names_one_place(cli: Cli) -> None:
    _operator(cli)
    before = cli.snapshot()
    both = cli(
        "subscriptions", "add", "--channel", "email", "--address", "a@example.org",
        "--zip", "75201", "--state", "TX", "--as", "ops",
    )  # fmt: skip
    assert both.exit_code == 2
    assert "exactly one place" in both.output
    language = cli(
        "subscriptions", "add", "--channel", "email", "--address", "a@example.org",
        "--state", "TX", "--language", "fr", "--as", "ops",
    )  # fmt: skip
    assert language.exit_code == 2
    assert "language" in language.output
    assert cli.snapshot() == before


def test_a_browser_is_subscribed_to_web_push_with_its_keys(cli: Cli) -> None:
    _operator(cli)
    # RFC 8291 Appendix A's browser keys: published test data, not credentials.
    p256dh = (
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
    )
    auth = "BTBZMqHH6r4Tts7J_aSIgg"
    endpoint = "https://fcm.googleapis.com/fcm/send/c1:APA91b-example"
    before = cli.snapshot()
    keyless = cli("subscriptions", "add", "--channel", "web_push", "--address", endpoint,
                  "--state", "TX", "--as", "ops")  # fmt: skip
    assert keyless.exit_code == 2
    assert "keys: a web_push subscription gives its browser keys" in keyless.output
    elsewhere = cli("subscriptions", "add", "--channel", "web_push", "--address",
                    "https://push.example/x", "--p256dh", p256dh, "--auth", auth,
                    "--state", "TX", "--as", "ops")  # fmt: skip
    assert elsewhere.exit_code == 2
    assert "push.example is not a push service this node sends to" in elsewhere.output
    assert cli.snapshot() == before
    made = cli.json("subscriptions", "add", "--channel", "web_push", "--address", endpoint,
                    "--p256dh", p256dh, "--auth", auth, "--state", "TX",
                    "--as", "ops")  # fmt: skip
    assert made["keys"] == {"p256dh": p256dh, "auth": auth}
    [listed] = cli.json("subscriptions", "list", "--channel", "web_push")["subscriptions"]
    shown = "https://fcm.googleapis.com/…"  # whoever has the whole endpoint can push to it
    assert (listed["id"], listed["address"], listed["confirmed"]) == (made["id"], shown, True)


def test_a_highway_sign_is_registered_with_its_profile_and_community(cli: Cli) -> None:
    _operator(cli)
    made = cli.json(
        "partners", "add", "I-35E NB at Loop 12", "--kind", "sign_system", "--channel", "ntcip",
        "--address", "10.20.30.40:161", "--county", "48113", "--community", "rw-7f3a",
        "--sign-profile", "3x21", "--sign-pages", "2", "--sign-tags", "nl,np,jl",
        "--sign-slot", "7", "--sign-priority", "220", "--sign-after-end", "restore",
        "--as", "ops",
    )  # fmt: skip
    assert made["secret"] == "set"  # the community is never printed back
    assert made["formats"] == ["dms"]
    assert made["sign"] == {"lines": 3, "characters": 21, "pages": 2, "tags": ["nl", "np", "jl"],
                            "slot": 7, "priority": 220, "after_end": "restore"}  # fmt: skip
    defaults = cli.json(
        "partners", "add", "US-75 SB", "--kind", "sign_system", "--channel", "ntcip",
        "--address", "dms-9.txdot.example", "--county", "48113", "--community", "c",
        "--as", "ops",
    )  # fmt: skip
    assert defaults["sign"]["lines"] == 3
    assert defaults["sign"]["characters"] == 18


def test_a_sign_with_bad_options_is_refused_naming_them(cli: Cli) -> None:
    _operator(cli)
    before = cli.snapshot()
    base = ("partners", "add", "Sign", "--kind", "sign_system", "--channel", "ntcip",
            "--address", "10.20.30.40", "--county", "48113", "--as", "ops")  # fmt: skip
    cases = [
        ((), "secret: an ntcip sign needs its SNMP write community"),
        (("--community", "c", "--sign-profile", "3by18"), "is not LINESxCHARACTERS"),
        (("--community", "c", "--sign-profile", "3x12"), "characters: at least 15"),
        (("--community", "c", "--sign-tags", "nl,blink"), "tags: not MULTI tags: blink"),
        (("--community", "c", "--sign-priority", "300"), "priority"),
    ]
    for extra, message in cases:
        result = cli(*base, *extra)
        assert result.exit_code == 2, result.output
        assert message in " ".join(result.output.split()), result.output
    webhook = cli(
        "partners", "add", "Hook", "--kind", "sign_system", "--channel", "webhook",
        "--address", "https://signs.example/hook", "--state", "TX", "--community", "c",
        "--as", "ops",
    )  # fmt: skip
    assert webhook.exit_code == 2
    assert "a community is for the ntcip channel" in webhook.output
    slot = cli(
        "partners", "add", "Hook", "--kind", "sign_system", "--channel", "webhook",
        "--address", "https://signs.example/hook", "--state", "TX", "--sign-slot", "3",
        "--as", "ops",
    )  # fmt: skip
    assert slot.exit_code == 2
    assert "sign settings are for the ntcip channel only" in slot.output
    assert cli.snapshot() == before


def test_listings_never_show_the_secrets_an_address_holds(cli: Cli) -> None:
    _operator(cli)
    secret = "pa55word-7c1e"
    cli("partners", "add", "SMS gateway", "--kind", "other", "--channel", "apprise",
        "--address", f"json://alerts:{secret}@127.0.0.1:9/in", "--state", "TX",
        "--as", "ops")  # fmt: skip
    cli("subscriptions", "add", "--channel", "webhook", "--county", "48113",
        "--address", f"https://home.example/hook?token={secret}", "--as", "ops")  # fmt: skip
    for command in (["partners", "list"], ["partners", "show", "SMS gateway"],
                    ["subscriptions", "list"]):  # fmt: skip
        for shown in (cli(*command), cli(*command, "--json")):
            assert shown.exit_code == 0, shown.output
            assert secret not in shown.stdout
    [partner] = cli.json("partners", "list")["partners"]
    assert partner["address"] == "json://alerts:****@127.0.0.1:9/in"
    [subscription] = cli.json("subscriptions", "list")["subscriptions"]
    assert subscription["address"] == "https://home.example/hook?token=…"
