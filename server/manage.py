"""``kiosk-server token …`` and ``kiosk-server user …``: kiosk tokens and officer accounts, from a shell.

    kiosk-server token add KIOSK-02 --unit 000.00.01.H22      # prints the new token once (stdout)
    kiosk-server token rotate KIOSK-02                       # new token; the old one stops at once
    kiosk-server token revoke KIOSK-02                       # the kiosk is locked out until rotated
    kiosk-server token list
    kiosk-server user add nguyen.an --role officer --unit 000.00.01.H22 --name "Nguyễn Văn An"
    kiosk-server user passwd nguyen.an | disable nguyen.an | enable nguyen.an | list

They work on the database directly (``--db`` or ``$KIOSK_SERVER_DB``), with the server running or not:
running servers see a rotation or revocation at their next request (the credential revision). Tokens and
passwords are read from stdin with ``--token-stdin`` / ``--password-stdin`` (never from the command line,
which other users can see), else a password is asked twice on the terminal. Exit codes: 0 done,
1 not possible (unknown kiosk, user exists), 2 bad input (weak token or password).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence

from sqlalchemy.orm import sessionmaker

GROUPS = ("token", "user")


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=os.environ.get("KIOSK_SERVER_DB", "sqlite:///var/server.db"),
                   help="SQLAlchemy URL (default $KIOSK_SERVER_DB or sqlite:///var/server.db)")


def build_parser() -> argparse.ArgumentParser:
    from server.officers import ROLES

    p = argparse.ArgumentParser(prog="kiosk-server", description="Kiosk tokens and officer accounts.")
    groups = p.add_subparsers(dest="group", required=True)

    tok = groups.add_parser("token", help="kiosk tokens").add_subparsers(dest="action", required=True)
    add = tok.add_parser("add", help="add a kiosk (or re-key it) and print its new token")
    add.add_argument("kiosk")
    add.add_argument("--unit", default="000.00.01.H22", help="its department's receiving unit id")
    add.add_argument("--department", default="", help="its department's name")
    add.add_argument("--token-stdin", action="store_true", help="use the token read from stdin (checked)")
    rot = tok.add_parser("rotate", help="a new token for a kiosk; the old one stops at once")
    rot.add_argument("kiosk")
    rot.add_argument("--token-stdin", action="store_true")
    tok.add_parser("revoke", help="lock a kiosk out until its token is rotated").add_argument("kiosk")
    tok.add_parser("list", help="kiosks and whether their token is revoked (never the tokens)")

    usr = groups.add_parser("user", help="officer accounts").add_subparsers(dest="action", required=True)
    uadd = usr.add_parser("add", help="a new officer account")
    uadd.add_argument("username")
    uadd.add_argument("--role", choices=ROLES, required=True)
    uadd.add_argument("--unit", default="", help="the department's receiving unit id (admins may have none)")
    uadd.add_argument("--name", default="", help="full name, as shown on the counter desk")
    uadd.add_argument("--password-stdin", action="store_true")
    pw = usr.add_parser("passwd", help="set a new password (ends the user's sessions)")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true")
    usr.add_parser("disable", help="lock an account out (ends its sessions)").add_argument("username")
    usr.add_parser("enable", help="let a disabled account log in again").add_argument("username")
    usr.add_parser("list", help="accounts, roles, departments")

    for sub in (tok, usr):
        for choice in sub.choices.values():
            _db_arg(choice)
    return p


def _secret_from_stdin() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return _secret_from_stdin()
    first = getpass.getpass("Mật khẩu mới (new password): ")
    if getpass.getpass("Nhập lại (again): ") != first:
        raise ValueError("the two passwords differ")
    return first


def main(argv: Sequence[str]) -> int:
    from server import tokens, users
    from server.credentials import WeakCredential
    from server.db import make_engine, migrate, session_scope
    from server.main import PROJECT_ROOT, _sqlite_file_url
    from server.settings import utc_now

    args = build_parser().parse_args(list(argv))
    engine = make_engine(_sqlite_file_url(args.db, PROJECT_ROOT))
    try:
        migrate(engine)
        factory = sessionmaker(engine, expire_on_commit=False)
        with session_scope(factory) as s:
            if args.group == "token":
                return _token(args, s, tokens, utc_now())
            return _user(args, s, users, utc_now())
    except WeakCredential as e:
        print(f"kiosk-server: {e}", file=sys.stderr)
        return 2
    except tokens.UnknownKiosk as e:
        print(f"kiosk-server: no kiosk {e}", file=sys.stderr)
        return 1
    except users.UserError as e:
        print(f"kiosk-server: {e}", file=sys.stderr)
        return 1
    except ValueError as e:  # the two passwords typed differ, a token used by another kiosk
        print(f"kiosk-server: {e}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _token(args: argparse.Namespace, s, tokens, now) -> int:
    given = _secret_from_stdin() if getattr(args, "token_stdin", False) else None
    if args.action == "add":
        token = tokens.add(s, args.kiosk, args.unit, args.department, given)
        s.flush()
        print(f"kiosk-server: kiosk {args.kiosk} of {args.unit} has a new token", file=sys.stderr)
        if given is None:
            print(token)  # once: only its hash is kept
    elif args.action == "rotate":
        token = tokens.rotate(s, args.kiosk, now, given)
        print(f"kiosk-server: kiosk {args.kiosk} has a new token; the old one no longer works", file=sys.stderr)
        if given is None:
            print(token)
    elif args.action == "revoke":
        tokens.revoke(s, args.kiosk, now)
        print(f"kiosk-server: kiosk {args.kiosk} is locked out (rotate to let it in again)", file=sys.stderr)
    else:
        for k in tokens.listing(s):
            seen = k.last_heartbeat_at.isoformat(timespec="seconds") if k.last_heartbeat_at else "never"
            print(f"{k.id}\t{k.unit_id}\t{'revoked' if k.revoked else 'active'}\tlast heartbeat {seen}")
    return 0


def _user(args: argparse.Namespace, s, users, now) -> int:
    from server.credentials import check_password

    if args.action == "add":
        password = _new_password(args.password_stdin)
        check_password(password)
        users.add_user(s, args.username, password, args.role, args.unit or None, now, args.name)
        print(f"kiosk-server: user {args.username.lower()} ({args.role}) added", file=sys.stderr)
    elif args.action == "passwd":
        users.set_password(s, args.username, _new_password(args.password_stdin), now)
        print(f"kiosk-server: new password for {args.username}; their sessions ended", file=sys.stderr)
    elif args.action in ("disable", "enable"):
        users.set_disabled(s, args.username, args.action == "disable")
        print(f"kiosk-server: user {args.username} {args.action}d", file=sys.stderr)
    else:
        for u in users.listing(s):
            print(f"{u.username}\t{u.role}\t{u.unit_id or '-'}\t{'disabled' if u.disabled else 'active'}\t{u.full_name}")
    return 0
