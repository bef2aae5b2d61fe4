"""Hello, the township and the snapshot: what a console asks when it connects."""

from __future__ import annotations

from backend.service.context import Reply, RequestContext
from backend.service.services import Services
from domain.requests import Empty
from domain.wire import PROTOCOL_VERSION, MsgType


def hello(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    """The backend's session, where updates are published and the seq now."""
    pub = svc.publisher
    welcome = {
        "protocol": PROTOCOL_VERSION,
        "session": pub.session,
        "seq": pub.seq,
        "pub_port": pub.port,
        "township": svc.township.code,
        "township_name": svc.township.name,
    }
    return Reply(MsgType.WELCOME, welcome, seq=pub.seq)


def township(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    """The territory, the categories and the rules a console counts deadlines and days by."""
    data, categories = svc.township.to_dict()
    # Consoles show names, not the township's phone book (personal data stays in the backend).
    data["people"] = [{**p, "phone": ""} for p in data["people"]]
    answer = {
        "township": data,
        "categories": categories,
        "platform_set": svc.township.platform_set,
        "deadline_rules": svc.store.rules.to_wire(),
    }
    return Reply(MsgType.TOWNSHIP, answer)


def snapshot(ctx: RequestContext, body: Empty, svc: Services) -> Reply:
    """The live map at the current seq; the loop sends it in chunks (later changes replace the
    map's values, not the list taken here, so the chunks stay consistent)."""
    incidents = list(svc.live.incidents.values())
    return Reply(MsgType.SNAPSHOT, {"incidents": incidents}, seq=svc.publisher.seq)
