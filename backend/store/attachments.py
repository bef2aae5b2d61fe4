"""Photos of a case: content-addressed files beside the database, rows that point at them."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from backend.pictures import why_not_a_picture
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
MAX_PER_PERSON_A_DAY = 300
"""One login's photos in the last 24 h: ~200 MB at most, however many cases it reaches."""
MAX_TOTAL_BYTES = 50 * 10**9
"""Every photo the backend keeps (six months of a township's: a few GB)."""


class AttachmentRepository(StoreBase):
    def _within_quotas(self, added_by: str, size: int) -> None:
        """A person's photos a day, and the folder's in all: past either, `invalid`."""
        since = time.time() - 86_400
        with self.unit_of_work() as s:
            today, everything = s.execute(
                select(
                    func.count(AttachmentRow.id).filter(
                        AttachmentRow.added_by == added_by, AttachmentRow.added_at >= since
                    ),
                    func.coalesce(func.sum(AttachmentRow.size), 0),
                )
            ).one()
        if today >= MAX_PER_PERSON_A_DAY:
            raise LifecycleError(
                ErrorCode.INVALID,
                f"at most {MAX_PER_PERSON_A_DAY} photos a day from one person ({added_by})",
            )
        if everything + size > MAX_TOTAL_BYTES:
            raise LifecycleError(
                ErrorCode.INVALID,
                f"the backend's photos are {everything / 1e9:.1f} GB, its limit "
                f"{MAX_TOTAL_BYTES // 10**9} GB: ask the administrator",
            )

    def add_attachment(
        self, incident_id: str, media_type: str, data: bytes, added_by: str
    ) -> dict[str, Any]:
        """Keep a photo: the file is written (content-addressed, fsynced) before the row that
        refers to it is committed, so a committed row never points at a missing file. The same
        picture on the same case again (a phone's retry) is not kept twice: the row it has,
        with `duplicate` true."""
        if media_type not in ATTACHMENT_TYPES:
            allowed = ", ".join(sorted(ATTACHMENT_TYPES))
            raise LifecycleError(ErrorCode.INVALID, f"media_type must be one of: {allowed}")
        if not data or len(data) > MAX_ATTACHMENT_BYTES:
            raise LifecycleError(
                ErrorCode.INVALID, f"an attachment is 1 to {MAX_ATTACHMENT_BYTES} bytes"
            )
        if not is_kind(media_type, data):
            raise LifecycleError(ErrorCode.INVALID, f"the data is not a {media_type} picture")
        if (why := why_not_a_picture(media_type, data)) is not None:
            raise LifecycleError(ErrorCode.INVALID, why)
        digest = hashlib.sha256(data).hexdigest()
        with self.unit_of_work() as s:  # before writing a file nothing would refer to
            known = s.get(IncidentRow, incident_id) is not None
            same = s.scalars(
                select(AttachmentRow).where(
                    AttachmentRow.incident == incident_id, AttachmentRow.sha256 == digest
                )
            ).first()
            if same is not None:
                return {**columns(same), "duplicate": True}
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
        self._within_quotas(added_by, len(data))
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

    def attachment_incident(self, attachment_id: int) -> str | None:
        """The case an attachment belongs to (None: no such attachment), without its file."""
        with self.unit_of_work() as s:
            return s.scalar(select(AttachmentRow.incident).where(AttachmentRow.id == attachment_id))

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
