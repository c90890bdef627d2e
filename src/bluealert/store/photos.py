"""Photos stored by the SHA-256 of their cleaned content, under the data directory."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bluealert.errors import NotFound
from bluealert.store.tables import PhotoRow


class PhotoStore:
    def __init__(self, session: Session, root: Path) -> None:
        self.session = session
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(
        self,
        *,
        data: bytes,
        sha256: str,
        media_type: str,
        width: int,
        height: int,
        stored_by: str,
        now: datetime,
    ) -> bool:
        """Store the bytes once; return False when the same photo was already stored."""
        if self.holds(sha256):
            return False
        self._write_atomically(self.path_for(sha256), data)
        self.session.add(
            PhotoRow(
                sha256=sha256,
                media_type=media_type,
                size=len(data),
                width=width,
                height=height,
                stored_at=now,
                stored_by=stored_by,
            )
        )
        self.session.flush()
        return True

    def holds(self, sha256: str) -> bool:
        return self.session.get(PhotoRow, sha256) is not None

    def media_type(self, sha256: str) -> str:
        row = self.session.get(PhotoRow, sha256)
        if row is None:
            raise NotFound(f"no photo {sha256}")
        return row.media_type

    def read(self, sha256: str) -> bytes:
        if not self.holds(sha256):
            raise NotFound(f"no photo {sha256}")
        return self.path_for(sha256).read_bytes()

    @staticmethod
    def _write_atomically(path: Path, data: bytes) -> None:
        # Content-addressed: a file left by a rolled-back transaction is harmless and reused.
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
