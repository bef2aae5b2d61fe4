"""The service's parts a handler may use, in one place: the handler gets this and its request's
context, and keeps nothing of its own between requests."""

from __future__ import annotations

from dataclasses import dataclass, field

from backend.service.accounts import Accounts
from backend.service.audit_trail import AuditTrail
from backend.service.live import LiveState
from backend.service.publisher import Publisher
from backend.store import Store
from backend.township.locate import GridLocator
from domain.township import Township


@dataclass(slots=True)
class Services:
    store: Store
    township: Township
    """Replaced whole when a new version is applied (backend.service.territory)."""
    live: LiveState
    accounts: Accounts
    audit: AuditTrail
    publisher: Publisher
    township_version: int = 0
    """The store's township version `township` is (backend.service.territory)."""
    grids: GridLocator = field(default_factory=GridLocator)
    """The grid a position lies in (a report without its grid)."""
