"""The live state service: the request pipeline behind the ROUTER and the PUB.

`loop` owns the sockets and the tick; `admission` turns frames into a `RequestContext` and a
typed body (domain.requests); `handlers/` answer them by concern and return replies and
changes; `publisher` sends what changed after its commit; `audit_trail` records it first.
"""
