"""The public feed snapshots (Atom, RSS, GeoJSON, JSON): static files any web server can serve.

They are rewritten only when the set of active public alerts changed, so that their ETag
(from the file's modification time and size) stays the same while nothing happened.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bluealert.app.context import AppContext
from bluealert.app.public import PublicFilter, public_alerts
from bluealert.domain.alert import Alert
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.atom import render_atom
from bluealert.formats.feeds.geojson import render_geojson
from bluealert.formats.feeds.json_list import render_json_list
from bluealert.formats.feeds.rss import render_rss

FEEDS = {
    "alerts.atom": (render_atom, "application/atom+xml"),
    "alerts.rss": (render_rss, "application/rss+xml"),
    "alerts.geojson": (render_geojson, "application/geo+json"),
    "alerts.json": (render_json_list, "application/json"),
}


def feed_dir(ctx: AppContext) -> Path:
    return ctx.settings.data_dir / "feeds"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".feed-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def _marker(alerts: list[Alert]) -> tuple[tuple[str, int, str], ...]:
    return tuple((a.id, a.current.number, a.state.value) for a in alerts)


@dataclass
class FeedWriter:
    """Writes the snapshots when the active public alerts differ from the last time.

    `generation` counts the writes, so that a reader in the same process (the server's feed
    lane) sees a new snapshot at once, without asking the file system."""

    last: tuple[tuple[str, int, str], ...] | None = field(default=None)
    generation: int = 0

    def refresh(self, ctx: AppContext) -> bool:
        """Rewrite the snapshots if anything changed (or one is missing); True if it wrote."""
        active = public_alerts(ctx, PublicFilter(active_only=True))
        marker = _marker(active)
        missing = any(not (feed_dir(ctx) / name).is_file() for name in FEEDS)
        if marker == self.last and not missing:
            return False
        render_ctx = RenderContext(
            now=ctx.clock(),
            sender=ctx.settings.cap_sender,
            station_id=ctx.settings.station_id,
            base_url=ctx.settings.base_url,
        )
        for name, (render, _) in FEEDS.items():
            _write_atomically(feed_dir(ctx) / name, render(active, render_ctx))
        self.last = marker
        self.generation += 1
        return True
