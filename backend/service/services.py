"""The service's parts a handler may use, in one place: the handler gets this and its request's
context, and keeps nothing of its own between requests."""

from __future__ import annotations

from dataclasses import dataclass, field

from backend.service.accounts import Accounts
from backend.service.audit_trail import AuditTrail
from backend.service.context import Refusal, RequestContext
from backend.service.live import LiveState
from backend.service.outbox import Outbox
from backend.service.publisher import Publisher
from backend.store import Store
from backend.township.locate import GridLocator
from domain.township import Township
from domain.wire import ErrorCode


@dataclass(slots=True)
class Services:
    store: Store
    township: Township
    """Replaced whole when a new version is applied (backend.service.territory)."""
    live: LiveState
    accounts: Accounts
    audit: AuditTrail
    publisher: Publisher
    outbox: Outbox
    """Large answers under flow control (`parts.ack` credits them)."""
    township_version: int = 0
    """The store's township version `township` is (backend.service.territory)."""
    grids: GridLocator = field(default_factory=GridLocator)
    """The grid a position lies in (a report without its grid)."""

    def check_scope(self, ctx: RequestContext, incident: str) -> None:
        """Refused (`not_allowed`) unless the login's scope covers this case."""
        scope = ctx.logged_in().scope
        if not scope.township and not scope.covers_wire(self.live.wire_of(incident)):
            raise self.outside(ctx)

    def outside(self, ctx: RequestContext) -> Refusal:
        """The refusal of a case outside the login's scope (or of one that does not exist, to
        a login that does not see the township: the same words, so that ids tell nothing)."""
        scope = ctx.logged_in().scope
        detail = f"this case is outside your scope ({scope.describe(self.township)})"
        return Refusal(ErrorCode.NOT_ALLOWED, detail)
