"""Photos of a case: content-addressed files beside the database, rows that point at them."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from backend.schema import AttachmentRow, IncidentRow
from backend.store.base import StoreBase, columns
from domain.image_kinds import is_kind
from domain.lifecycle import ErrorCode, LifecycleError

ATTACHMENT_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
MAX_ATTACHMENT_BYTES = 700_000
"""Base64 of this fits in one message under the 1 MiB limit."""
MAX_PER_CASE = 30
MAX_BYTES_PER_CASE = 12_000_000
"""A case's photos, together: a duty officer added 105 × 700 kB to one case in 30 s (8.8 GB an
hour, unbounded)."""


class AttachmentRepository(StoreBase):
    def add_attachment(
        self, incident_id: str, media_type: str, data: bytes, added_by: str
    ) -> dict[str, Any]:
        """Keep a photo: the file is written (content-addressed, fsynced) before the row that
        refers to it is committed, so a committed row never points at a missing file."""
        if media_type not in ATTACHMENT_TYPES:
            allowed = ", ".join(sorted(ATTACHMENT_TYPES))
            raise LifecycleError(ErrorCode.INVALID, f"media_type must be one of: {allowed}")
        if not data or len(data) > MAX_ATTACHMENT_BYTES:
            raise LifecycleError(
                ErrorCode.INVALID, f"an attachment is 1 to {MAX_ATTACHMENT_BYTES} bytes"
            )
        if not is_kind(media_type, data):
            raise LifecycleError(ErrorCode.INVALID, f"the data is not a {media_type} picture")
        with self.unit_of_work() as s:  # before writing a file nothing would refer to
            known = s.get(IncidentRow, incident_id) is not None
            count, total = s.execute(
                select(
                    func.count(AttachmentRow.id), func.coalesce(func.sum(AttachmentRow.size), 0)
                ).where(AttachmentRow.incident == incident_id)
            ).one()
        if not known:
            raise LifecycleError(ErrorCode.UNKNOWN_INCIDENT, f"no incident {incident_id!r}")
        if count >= MAX_PER_CASE or total + len(data) > MAX_BYTES_PER_CASE:
            raise LifecycleError(
                ErrorCode.INVALID,
                f"a case keeps at most {MAX_PER_CASE} photos, {MAX_BYTES_PER_CASE // 10**6} MB "
                f"in all (it has {count}, {total / 1e6:.1f} MB)",
            )
        digest = hashlib.sha256(data).hexdigest()
        path = self.attachments / digest[:2] / f"{digest}{ATTACHMENT_TYPES[media_type]}"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            with partial.open("wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            partial.replace(path)
        with self.unit_of_work() as s:
            if s.get(IncidentRow, incident_id) is None:
                raise LifecycleError(ErrorCode.UNKNOWN_INCIDENT, f"no incident {incident_id!r}")
            row = AttachmentRow(
                incident=incident_id,
                path=str(path.relative_to(self.attachments)),
                media_type=media_type,
                size=len(data),
                sha256=digest,
                added_at=time.time(),
                added_by=added_by,
            )
            s.add(row)
            s.flush()
            return columns(row)

    def attachment_path(self, relative: str) -> Path:
        return self.attachments / relative

    def attachments_of(self, incident_id: str) -> list[dict[str, Any]]:
        """The incident's attachments (their rows, not their bytes), oldest first."""
        with self.unit_of_work() as s:
            rows = s.scalars(
                select(AttachmentRow)
                .where(AttachmentRow.incident == incident_id)
                .order_by(AttachmentRow.id)
            )
            return [columns(r) for r in rows]

    def attachment(self, attachment_id: int) -> tuple[dict[str, Any], bytes]:
        """One attachment's row and bytes; the bytes are checked against the row's digest."""
        with self.unit_of_work() as s:
            row = s.get(AttachmentRow, attachment_id)
            if row is None:
                raise LifecycleError(ErrorCode.INVALID, f"no attachment {attachment_id}")
            meta = columns(row)
        data = self.attachment_path(meta["path"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise LifecycleError(ErrorCode.INVALID, f"attachment {attachment_id} is damaged")
        return meta, data
