"""The demo township's users: every person by their code, a login per role, one known password.

For `make run`, the tests and trials only (`--demo-users`): anyone who reads this file can log
in, which the backend says in its log at every start.
"""

from __future__ import annotations

from collections import Counter

from backend.passwords import DEMO_COST, hash_password
from backend.store import Store
from backend.user_store import UserStore
from client.request import Login, RequestClient
from domain.township import Role, Township

DEMO_PASSWORD = "demo"
ROLE_LOGINS: dict[str, Role] = {
    "supervisor": Role.SUPERVISOR,
    "duty": Role.DUTY_OFFICER,
    "handler": Role.DEPARTMENT_HANDLER,
    "leader": Role.GRID_LEADER,
    "worker": Role.GRID_WORKER,
    "member": Role.GRID_MEMBER,
}
"""A login for one person of each role (backend.demo.users.role_person), easier to type than a
person's code."""
SYSTEM_LOGINS: dict[str, tuple[str, Role]] = {
    "admin": ("系统管理员", Role.ADMINISTRATOR),
    "auditor": ("审计员", Role.AUDITOR),
    "gateway": ("掌上基层网关", Role.GATEWAY),
    "gridapp": ("掌上基层服务器", Role.GATEWAY),  # the grid app's server, at the HTTP gateway
}
STAFF_LOGINS = ("gateway", "duty", "handler", "leader", "worker", "supervisor")
"""What the demo reporter (and a test's client) logs in as: it acts for them all, reports and
patrols as the gateway, and reads as the supervisor (the last login, the one other requests
go out under)."""


def demo_users(township: Township) -> list[tuple[str, str, Role, str | None]]:
    people = sorted(township.people.values(), key=lambda p: p.code)
    rows: list[tuple[str, str, Role, str | None]] = [
        (p.code, p.name, p.role, p.code) for p in people
    ]
    for login, role in ROLE_LOGINS.items():
        person = township.people[role_person(township, role)]
        rows.append((login, person.name, role, person.code))
    rows += [(login, name, role, None) for login, (name, role) in SYSTEM_LOGINS.items()]
    return rows


def role_person(township: Township, role: Role) -> str:
    """The person a role's login stands for: the first of that role by code; for a
    department's handler, the first handler of the department the most categories go to (the
    demo's busiest: a handler signing in finds cases to work on, not an empty list)."""
    people = sorted(township.people.values(), key=lambda p: p.code)
    if role == Role.DEPARTMENT_HANDLER:
        routed = Counter(c.department for c in township.categories.values() if c.department)
        for code, _n in routed.most_common():
            department = township.departments.get(code)
            if department is not None and department.handlers:
                return department.handlers[0]
    return next(p.code for p in people if p.role == role)


def desk_people(township: Township) -> set[str]:
    """The people behind the desk's role logins (supervisor, handler…): the demo's staff never
    act as them, or the person at the desk would find their cases moved "by themselves"."""
    return {role_person(township, role) for role in ROLE_LOGINS.values()}


def seed_demo_users(store: Store, township: Township) -> int:
    """The users not there yet; how many were added."""
    return UserStore(store).add_many(demo_users(township), hash_password(DEMO_PASSWORD, DEMO_COST))


def log_in_staff(client: RequestClient, logins: tuple[str, ...] = STAFF_LOGINS) -> list[Login]:
    """Each in turn; the client then sends a command under the login of the role it names."""
    return [client.log_in(login, DEMO_PASSWORD) for login in logins]
