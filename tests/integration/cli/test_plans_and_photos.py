"""The plans commands, and photos named in an alert file stored by content, stripped."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from tests import factories as f
from tests.integration.cli.conftest import Cli, add_people


def test_plans_list_covers_56_jurisdictions(cli: Cli) -> None:
    plans = cli.json("plans", "list")["plans"]
    assert len(plans) == 56
    assert plans["CA"]["name"] == "California Blue Alert"
    assert plans["GU"]["state"] == "GU"


def test_plans_show_and_check(cli: Cli, tmp_path: Path) -> None:
    assert cli.json("plans", "show", "tx")["issuing_agency"] == "Texas Department of Public Safety"
    good = tmp_path / "ok.yaml"
    good.write_text(Path("src/bluealert/domain/plans/national.yaml").read_text() + "state: OK\n")
    assert cli("plans", "check", str(good)).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntriggers: [officer_annoyed]\nmax_duration_hours: -1\n")
    result = cli("plans", "check", str(bad))
    assert result.exit_code == 2
    for line in ("triggers.0:", "max_duration_hours:", "issuing_agency: Field required"):
        assert line in result.output


def test_photos_in_an_alert_file_are_stored_by_content_without_metadata(
    cli: Cli, tmp_path: Path
) -> None:
    add_people(cli, ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (32.0, 46.0, 36.0)}
    exif[0x010F] = "SecretCameraMaker"
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(photo, "JPEG", exif=exif.tobytes())
    (tmp_path / "suspect.jpg").write_bytes(photo.getvalue())
    data = f.alert_data(cli.clock.now)
    data["suspects"][0]["photos"] = ["suspect.jpg"]
    made = cli.json("alert", "draft", cli.write("with-photo.yaml", data), "--as", "sgt.reyes")
    [ref] = made["versions"][0]["content"]["suspects"][0]["photos"]
    stored = cli.data_dir / "photos" / ref["sha256"][:2] / ref["sha256"]
    assert stored.is_file()
    assert ref["media_type"] == "image/jpeg"
    assert b"SecretCameraMaker" not in stored.read_bytes()
    assert ref["size"] == stored.stat().st_size

    data["suspects"][0]["photos"] = ["missing.jpg"]
    before = cli.snapshot()
    result = cli("alert", "draft", cli.write("bad-photo.yaml", data), "--as", "sgt.reyes")
    assert result.exit_code == 2
    assert "suspects.0.photos.0" in result.output
    assert cli.snapshot() == before


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()


def test_a_bad_alert_file_with_a_good_photo_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    add_people(cli, ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI))
    (tmp_path / "suspect.jpg").write_bytes(_jpeg((9, 8, 7)))
    data = f.alert_data(cli.clock.now)
    data["suspects"][0]["photos"] = ["suspect.jpg"]
    data["requesting_agency"]["ori"] = "TX05"
    before = cli.snapshot()
    result = cli("alert", "draft", cli.write("bad.yaml", data), "--as", "sgt.reyes")
    assert result.exit_code == 2
    assert "requesting_agency.ori" in result.output
    assert cli.snapshot() == before


def test_a_photo_that_is_not_an_image_is_named_and_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    add_people(cli, ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI))
    (tmp_path / "suspect.jpg").write_bytes(b"%PDF-1.7 not a picture")
    data = f.alert_data(cli.clock.now)
    data["suspects"][0]["photos"] = ["suspect.jpg"]
    before = cli.snapshot()
    result = cli("alert", "draft", cli.write("pdf.yaml", data), "--as", "sgt.reyes")
    assert result.exit_code == 2
    assert "suspects.0.photos.0" in result.output
    assert "not a JPEG, PNG or WebP" in result.output
    assert cli.snapshot() == before


def test_naming_a_photo_the_store_does_not_hold_is_refused(cli: Cli) -> None:
    add_people(cli, ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI))
    data = f.alert_data(cli.clock.now)
    data["suspects"][0]["photos"] = [
        {"sha256": "ab" * 32, "media_type": "image/jpeg", "size": 1000}
    ]
    before = cli.snapshot()
    result = cli("alert", "draft", cli.write("ghost.yaml", data), "--as", "sgt.reyes")
    assert result.exit_code == 2
    assert "suspects.0.photos.0: no stored photo" in result.output
    assert cli.snapshot() == before


def test_a_photo_added_by_an_update_is_stored_with_the_new_version(
    cli: Cli, tmp_path: Path
) -> None:
    add_people(cli, ("sgt.reyes", "--role", "supervisor", "--agency", f.ORI))
    data = f.alert_data(cli.clock.now)
    made = cli.json("alert", "draft", cli.write("first.yaml", data), "--as", "sgt.reyes")
    (tmp_path / "later.png").write_bytes(_jpeg((1, 1, 1)))
    data["suspects"][0]["photos"] = ["later.png"]
    revised = cli.json(
        "alert", "update", made["reference"], cli.write("second.yaml", data), "--as", "sgt.reyes"
    )
    [ref] = revised["versions"][-1]["content"]["suspects"][0]["photos"]
    assert ref["media_type"] == "image/jpeg"  # the type comes from the content, not the name
    assert (cli.data_dir / "photos" / ref["sha256"][:2] / ref["sha256"]).is_file()
