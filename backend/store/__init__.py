"""The durable store: one SQLAlchemy engine, a session per unit of work, migrations at start.

`Store` is the facade the service and the tools use; each kind of data has its repository in a
module of its own (township, incidents, attachments, audit, patrols, minutes).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy.orm import sessionmaker

from backend.store.attachments import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, AttachmentRepository
from backend.store.audit import AuditRepository
from backend.store.base import make_engine
from backend.store.incidents import IncidentRepository, ReportConflict, report_digest
from backend.store.minutes import MinuteRepository
from backend.store.patrols import PatrolConflict, PatrolRepository
from backend.store.private_file import private_sqlite
from backend.store.township import TownshipRepository
from domain.deadlines import DeadlineRules

__all__ = [
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "PatrolConflict",
    "ReportConflict",
    "Store",
    "make_engine",
    "report_digest",
]
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class Store(
    TownshipRepository,
    IncidentRepository,
    AttachmentRepository,
    AuditRepository,
    PatrolRepository,
    MinuteRepository,
):
    def __init__(
        self, url: str, rules: DeadlineRules | None = None, attachments: Path | None = None
    ) -> None:
        if url.startswith("sqlite:///"):
            private_sqlite(Path(url.removeprefix("sqlite:///")))
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.rules = rules or DeadlineRules.load()
        if attachments is None:
            base = (
                Path(url.removeprefix("sqlite:///")).parent
                if url.startswith("sqlite:///")
                else None
            )
            attachments = (base or Path(user_data_dir("township-command-room"))) / "attachments"
        self.attachments = attachments
        self._number: int | None = None

    def close(self) -> None:
        self.engine.dispose()

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
