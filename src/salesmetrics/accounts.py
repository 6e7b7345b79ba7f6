"""Accounts: who may open the dashboard and the API, what each of them may see, and what they did.

Users, sessions, API tokens and the audit log are kept in the workspace's DuckDB file (migration
``_ACCOUNTS`` in :mod:`salesmetrics.storage`); a workspace whose records live in PostgreSQL or Spark
has none (docs/team.md). Nothing secret is kept as it is:

* passwords as Argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommended profile);
* session ids and API tokens as SHA-256 hashes: both are 256-bit random values only their holder
  has, so a fast hash is enough and a copy of the file opens no session;
* the key sessions and forms are signed with (HMAC-SHA256) is made when the first user is added.

A user is turned into a :class:`~salesmetrics.access.Viewer` (:meth:`Snapshot.viewer`), and from
there on :mod:`salesmetrics.records` decides what they see. :class:`Snapshot` is everything a
server needs to check a request, read once and kept until the file changes; :class:`Accounts`
changes what is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .access import ROLES, Viewer
from .errors import AccountError
from .kpis.known_values import resolve_rep, resolve_values

if TYPE_CHECKING:
    from .store import Store

HASHER = PasswordHasher()  # Argon2id, t=3, m=64 MiB, p=4
MIN_PASSWORD = 10
SESSION_LIFETIME = timedelta(hours=12)
TOKEN_PREFIX = "smt"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def sign(key: bytes, purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` for one ``purpose`` (a session cookie, a form), URL-safe."""
    mac = hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def csrf_token(key: bytes, nonce: str, session_id: str | None) -> str:
    """The hidden field of every form: bound to the browser's random nonce (a cookie another site
    can neither read nor set) and to the session, so a token from before a login stops working."""
    return sign(key, "csrf", f"{nonce}|{session_id or ''}")


_dummy: str | None = None
_dummy_lock = threading.Lock()


def _dummy_hash() -> str:
    """A hash to check passwords of unknown emails against: the same work as a known one."""
    global _dummy
    with _dummy_lock:
        if _dummy is None:
            _dummy = HASHER.hash(secrets.token_urlsafe(16))
        return _dummy


def check_password(hashed: str | None, password: str) -> bool:
    """Whether ``password`` matches ``hashed``; with ``None`` (no such user) the same Argon2 work
    is done against a dummy, so an unknown email takes as long as a known one. The password is read
    in its composed form (NFC); a hash kept before passwords were normalised is of the password as
    typed then, in either form, so those forms are tried too where they differ: as many checks for
    an unknown email as for a known one (two checks against one told which emails have accounts)."""
    typed = unicodedata.normalize("NFC", password)
    forms = list(dict.fromkeys((typed, password, unicodedata.normalize("NFD", password))))
    against = hashed or _dummy_hash()
    for form in forms:
        try:
            if HASHER.verify(against, form):
                return hashed is not None
        except (VerificationError, InvalidHashError):
            pass
    return False

def normal_email(email: str) -> str:
    text = email.strip().lower()
    if not _EMAIL.fullmatch(text) or len(text) > 254:
        raise AccountError(f"{email!r} is not an email address")
    return text


# The most common passwords of ten characters or more, as lists of leaked ones begin: a guesser
# tries them first. Not a list of every leaked password: a machine with no network cannot ask one.
COMMON_PASSWORDS = frozenset({
    "1234567890", "0987654321", "1q2w3e4r5t", "1qaz2wsx3edc", "qwertyuiop", "asdfghjkl1", "password12",
    "password123", "password1234", "password1!", "passw0rd123", "iloveyou12", "qwerty1234", "qwerty123456",
    "abcdefghij", "abc1234567", "123456789a", "a123456789", "letmein123", "welcome123", "sunshine12",
    "football12", "baseball12", "superman12", "1234567890a", "12345678910", "administrator", "changeme123",
    "salesmetrics", "salesmetrics1", "salesmetrics123",
})


def check_new_password(password: str, email: str | None = None) -> str:
    """A password fit to keep: long enough, no edge spaces, and not one a guesser tries first (one
    character or a few repeated, a very common one, the account's own email or its name part). An
    admin's "aaaaaaaaaa" and a password equal to the email were taken. Kept in Unicode's composed
    form (NFC), as :func:`check_password` reads what is typed: "Ö" typed as O and a combining
    diaeresis (a Mac, some phones) is the password set as "Ö"."""
    password = unicodedata.normalize("NFC", password)
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if password != password.strip():
        raise AccountError("a password cannot start or end with a space")
    lowered = password.lower()
    if len(set(lowered)) < 4:
        raise AccountError("a password needs at least 4 different characters")
    if lowered in COMMON_PASSWORDS:
        raise AccountError("that password is among the first a guesser tries: choose another")
    name = (email or "").lower().partition("@")[0]
    if email and (email.lower() in lowered or (len(name) >= 4 and name in lowered)):
        raise AccountError("a password cannot contain the account's email or its name")
    return password


# -- what is stored ----------------------------------------------------------------------------
@dataclass(frozen=True)
class User:
    email: str
    role: str
    rep: str | None
    teams: tuple[str, ...]
    created_at: datetime
    password_hash: str = field(default="", repr=False, compare=False)

    def as_json(self) -> dict[str, Any]:
        return {"email": self.email, "role": self.role, "rep": self.rep, "teams": list(self.teams),
                "created_at": self.created_at}


@dataclass(frozen=True)
class Token:
    token_id: str
    email: str
    name: str | None
    created_at: datetime
    last_used_at: datetime | None
    token_hash: str = field(default="", repr=False, compare=False)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.token_id, "email": self.email, "name": self.name,
                "created_at": self.created_at, "last_used_at": self.last_used_at}


@dataclass(frozen=True)
class Session:
    email: str
    expires_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    at: datetime  # UTC
    actor: str
    action: str
    detail: str | None
    client: str | None

    def as_json(self) -> dict[str, Any]:
        return {"at": self.at, "actor": self.actor, "action": self.action, "detail": self.detail,
                "client": self.client}


def _user(row: tuple[Any, ...]) -> User:
    email, role, rep, teams, hashed, created = row
    return User(email, role, rep, tuple(teams or ()), created, hashed)


_USER_COLUMNS = "email, role, rep_id, teams, password_hash, created_at"


# -- what a server checks requests against ---------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    """Users, live sessions and tokens as stored when read, and how each user's view is decided.
    Read-only: a server keeps one until the workspace file changes."""

    users: dict[str, User]
    sessions: dict[str, Session]  # by SHA-256 of the session id
    tokens: dict[str, Token]  # by token id
    key: bytes | None
    rep_visibility: str = "own"
    rep_teams: dict[str, str | None] = field(default_factory=dict)

    @property
    def has_users(self) -> bool:
        return bool(self.users)

    def viewer(self, user: User) -> Viewer:
        return viewer_for(user, self.rep_visibility, self.rep_teams)

    def login(self, email: str, password: str) -> User | None:
        """The user, when ``password`` is theirs; None otherwise, after the same work."""
        try:
            user = self.users.get(normal_email(email))
        except AccountError:
            user = None
        ok = check_password(user.password_hash if user else None, password)
        return user if ok else None

    def session_cookie(self, session_id: str) -> str:
        assert self.key is not None
        return f"{session_id}.{sign(self.key, 'session', session_id)}"

    def session(self, cookie: str | None, now: datetime) -> tuple[str, User] | None:
        """(session id, user) of a signed session cookie that is live; None otherwise."""
        if not cookie or self.key is None:
            return None
        session_id, _, signature = cookie.partition(".")
        if not hmac.compare_digest(signature, sign(self.key, "session", session_id)):
            return None
        found = self.sessions.get(_sha256(session_id))
        if found is None or found.expires_at <= now or found.email not in self.users:
            return None
        return session_id, self.users[found.email]

    def token(self, presented: str | None) -> tuple[Token, User] | None:
        """(token, user) of a bearer token that is stored; None otherwise."""
        parts = (presented or "").split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            return None
        found = self.tokens.get(parts[1])
        if found is None or not hmac.compare_digest(found.token_hash, _sha256(presented or "")):
            return None
        user = self.users.get(found.email)
        return (found, user) if user else None


def viewer_for(user: User, rep_visibility: str, rep_teams: dict[str, str | None]) -> Viewer:
    """What ``user`` may see: an admin everything, a manager their teams, a rep their own records
    (or their team's, with ``rep_visibility = team``)."""
    if user.role == "admin":
        return Viewer(user.email)
    if user.role == "manager":
        return Viewer.of_teams(user.email, frozenset(user.teams))
    assert user.rep is not None
    team = rep_teams.get(user.rep)
    if rep_visibility == "team" and team:
        return Viewer.of_teams(user.email, {team}, role="rep", rep=user.rep)
    return Viewer.of_rep(user.email, user.rep)


# -- changing what is stored -----------------------------------------------------------------
class Accounts:
    """The accounts of one workspace: add, change and remove users and tokens, sessions, and the
    audit log. Every change is noted in the log (:meth:`salesmetrics.store.Store.audit`)."""

    def __init__(self, store: Store) -> None:
        if not store.holds_accounts:
            raise AccountError(
                f"{store.path} keeps its records in another engine; accounts live in a DuckDB "
                "workspace file (--db), where `salesmetrics serve` runs"
            )
        self.store = store
        self.con = store.connection

    # -- reading ---------------------------------------------------------------------------
    def users(self) -> list[User]:
        rows = self.con.execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY email").fetchall()
        return [_user(r) for r in rows]

    def user(self, email: str) -> User:
        rows = self.con.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE email = ?",
                                [normal_email(email)]).fetchall()
        if not rows:
            raise AccountError(f"no user {email.strip()!r}; `salesmetrics user list` shows them")
        return _user(rows[0])

    def tokens(self) -> list[Token]:
        rows = self.con.execute(
            "SELECT token_id, email, name, created_at, last_used_at, token_hash FROM api_tokens "
            "ORDER BY email, created_at").fetchall()
        return [Token(*r) for r in rows]

    def audit_log(self, limit: int | None = 100) -> list[AuditEntry]:
        """The newest entries first."""
        sql = "SELECT logged_at, actor, action, detail, client FROM audit_log ORDER BY logged_at DESC"
        rows = self.con.execute(sql + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
        return [AuditEntry(*r) for r in rows]

    def snapshot(self) -> Snapshot:
        now = utc_now()
        users = {u.email: u for u in self.users()}
        sessions = {h: Session(e, x) for h, e, x in self.con.execute(
            "SELECT id_hash, email, expires_at FROM sessions WHERE expires_at > ?", [now]).fetchall()}
        tokens = {t.token_id: t for t in self.tokens()}
        key = self._key()
        teams = self.store.teams() if any(u.role == "rep" for u in users.values()) else {}
        return Snapshot(users, sessions, tokens, key, self.store.settings.rep_visibility, teams)

    def viewer_of(self, email: str) -> Viewer:
        """What ``email`` would see (``--as-user``)."""
        user = self.user(email)
        teams = self.store.teams() if user.role == "rep" else {}
        return viewer_for(user, self.store.settings.rep_visibility, teams)

    def _key(self) -> bytes | None:
        rows = self.con.execute("SELECT value FROM auth_secret WHERE name = 'signing'").fetchall()
        return base64.urlsafe_b64decode(rows[0][0]) if rows else None

    # -- users -----------------------------------------------------------------------------
    def _sees(self, role: str, rep: str | None, teams: Iterable[str]) -> tuple[str | None, list[str]]:
        """The rep id and team ids a user of ``role`` sees, checked against the workspace."""
        wanted = list(dict.fromkeys(t for t in teams if t))
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if role == "rep" and (not rep or wanted):
            raise AccountError("a rep user names one rep (--rep ID or full name) and no team")
        if role == "manager" and (not wanted or rep):
            raise AccountError("a manager user names one or more teams (--team TEAM) and no rep")
        if role == "admin" and (rep or wanted):
            raise AccountError("an admin sees everything: give neither --rep nor --team")
        rep_id = resolve_rep(self.store, rep) if rep else None
        return rep_id, list(resolve_values(self.store, {"team": tuple(wanted)})["team"]) if wanted else []

    def add_user(self, email: str, role: str, password: str, *, rep: str | None = None,
                 teams: Iterable[str] = ()) -> User:
        address = normal_email(email)
        if self.con.execute("SELECT count(*) FROM users WHERE email = ?", [address]).fetchall()[0][0]:
            raise AccountError(f"user {address} exists; `salesmetrics user change` changes what they see, "
                               "`salesmetrics user passwd` the password")
        rep_id, team_ids = self._sees(role, rep, teams)
        hashed = HASHER.hash(check_new_password(password, address))
        now = utc_now()
        self._write(
            lambda: self.con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?)",
                                     [address, role, rep_id, team_ids, hashed, now, now]),
            "user_add", f"{address} as {role}" + (f", rep {rep_id}" if rep_id else "")
            + (f", teams {', '.join(team_ids)}" if team_ids else ""))
        return User(address, role, rep_id, tuple(team_ids), now, hashed)

    def change_user(self, email: str, role: str, *, rep: str | None = None,
                    teams: Iterable[str] = ()) -> User:
        """A user's role and what they see, changed; their password and API tokens stay, and their
        open sessions end (a page open with the old view would show it until it expired). Removing
        and adding them again was the only way, which took their password and tokens with it."""
        user = self.user(email)
        rep_id, team_ids = self._sees(role, rep, teams)

        def change() -> None:
            self.con.execute("UPDATE users SET role = ?, rep_id = ?, teams = ? WHERE email = ?",
                             [role, rep_id, team_ids, user.email])
            self.con.execute("DELETE FROM sessions WHERE email = ?", [user.email])

        self._write(change, "user_change", f"{user.email} as {role}" + (f", rep {rep_id}" if rep_id else "")
                    + (f", teams {', '.join(team_ids)}" if team_ids else ""))
        return replace(user, role=role, rep=rep_id, teams=tuple(team_ids))

    def remove_user(self, email: str) -> None:
        user = self.user(email)

        def remove() -> None:
            for table in ("users", "sessions", "api_tokens"):
                self.con.execute(f"DELETE FROM {table} WHERE email = ?", [user.email])

        self._write(remove, "user_remove", user.email)

    def set_password(self, email: str, password: str) -> None:
        """A new password; the user's open sessions end."""
        user = self.user(email)
        hashed = HASHER.hash(check_new_password(password, user.email))

        def change() -> None:
            self.con.execute("UPDATE users SET password_hash = ?, password_set_at = ? WHERE email = ?",
                             [hashed, utc_now(), user.email])
            self.con.execute("DELETE FROM sessions WHERE email = ?", [user.email])

        self._write(change, "user_passwd", user.email)

    # -- tokens ----------------------------------------------------------------------------
    def create_token(self, email: str, name: str | None = None) -> tuple[Token, str]:
        """A new API token for ``email``: (what is stored, the token itself, shown only now)."""
        user = self.user(email)
        token_id = secrets.token_hex(4)
        plain = f"{TOKEN_PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
        token = Token(token_id, user.email, name, utc_now(), None, _sha256(plain))
        self._write(lambda: self.con.execute(
            "INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, NULL)",
            [token.token_id, token.token_hash, token.email, token.name, token.created_at]),
            "token_create", f"{token_id} for {user.email}" + (f" ({name})" if name else ""))
        return token, plain

    def revoke_token(self, token: str) -> Token:
        """Revoke a token, named by its id (``token list``) or given whole."""
        parts = token.strip().split("_", 2)
        token_id = parts[1] if len(parts) == 3 and parts[0] == TOKEN_PREFIX else token.strip()
        found = [t for t in self.tokens() if t.token_id == token_id]
        if not found:
            raise AccountError(f"no token {token_id!r}; `salesmetrics token list` shows them")
        self._write(lambda: self.con.execute("DELETE FROM api_tokens WHERE token_id = ?", [token_id]),
                    "token_revoke", f"{token_id} of {found[0].email}")
        return found[0]

    def token_used(self, token_id: str, at: datetime) -> None:
        self.con.execute("UPDATE api_tokens SET last_used_at = ? WHERE token_id = ?", [at, token_id])

    # -- sessions --------------------------------------------------------------------------
    def start_session(self, email: str, *, lifetime: timedelta = SESSION_LIFETIME) -> tuple[str, datetime]:
        """A new session for ``email`` (logged in): its id, to be signed into a cookie, and when it
        ends. Sessions that have ended are dropped on the way."""
        session_id = secrets.token_urlsafe(32)
        now = utc_now()
        expires = now + lifetime

        def start() -> None:
            self.con.execute("DELETE FROM sessions WHERE expires_at <= ?", [now])
            self.con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                             [_sha256(session_id), email, now, expires, self.store.client])

        self._write(start, "login", email)
        return session_id, expires

    def end_session(self, session_id: str) -> None:
        self._write(lambda: self.con.execute("DELETE FROM sessions WHERE id_hash = ?",
                                             [_sha256(session_id)]), "logout", self.store.actor)

    def note(self, action: str, detail: str) -> None:
        """An entry in the audit log alone (a failed login)."""
        self.store.audit(action, detail[:200])

    # -- the one way changes are written -----------------------------------------------------
    def _write(self, change: Callable[[], Any], action: str, detail: str) -> None:
        self.con.execute("BEGIN TRANSACTION")
        try:
            if not self.con.execute("SELECT count(*) FROM auth_secret").fetchall()[0][0]:
                key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
                self.con.execute("INSERT INTO auth_secret VALUES ('signing', ?)", [key])
            change()
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        self.store.audit(action, detail)


# -- throttling logins -------------------------------------------------------------------------
class Throttle:
    """Failed logins per account and per client: after ``limit`` within ``window`` seconds, further
    attempts are refused for ``lockout`` seconds (a correct password too: that is the point)."""

    def __init__(self, limit: int = 10, window: float = 300.0, lockout: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.lockout, self.clock = limit, window, lockout, clock
        self._failures: dict[str, deque[float]] = {}
        self._locked: dict[str, float] = {}
        self._lock = threading.Lock()

    def retry_after(self, *keys: str) -> int | None:
        """Seconds until ``keys`` may try again; None when they may now."""
        now = self.clock()
        with self._lock:
            waits = [until - now for k in keys if (until := self._locked.get(k)) and until > now]
        return int(max(waits)) + 1 if waits else None

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                seen = self._failures.setdefault(key, deque())
                seen.append(now)
                while seen and seen[0] <= now - self.window:
                    seen.popleft()
                if len(seen) >= self.limit:
                    self._locked[key] = now + self.lockout
                    seen.clear()
            if len(self._failures) > 10_000:  # a flood of made-up emails must not fill memory
                self._failures = {k: v for k, v in self._failures.items() if v and v[-1] > now - self.window}

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
