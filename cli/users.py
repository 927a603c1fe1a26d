"""Staff account commands: `users list | reset-password | deactivate | reactivate | unlock`,
and `create-user` (with `unlock-user`, the older name of `users unlock`). The database and
password hashing are imported by the handlers."""

from __future__ import annotations

import argparse
import getpass
import sys

from survey.staff.permissions import Role, operator

ACTOR = "command line"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "create-user",
        help="create a staff account (there is no default account)",
        description="Create a staff account. The password is asked for twice, or read "
        "from standard input with --password-stdin.",
    )
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--username", help="sign-in name (asked for if not given)")
    parser.add_argument("--display-name", help="name shown in the app")
    parser.add_argument(
        "--email", help="where safeguarding alert emails reach them (see YOUTHVOICE_SMTP_HOST)"
    )
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    parser.set_defaults(handler=run_create_user)
    register_unlock(subparsers)
    register_users(subparsers)


def register_users(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "users",
        help="list staff accounts, reset a password, deactivate, reactivate or unlock one",
        description="Staff accounts, as the admin's Staff accounts page manages them; every "
        "change is audited as the command line.",
    )
    actions = parser.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    listing = actions.add_parser(
        "list", help="every account: role, email, active, how many browsers are signed in"
    )
    listing.set_defaults(handler=run_list)
    reset = actions.add_parser(
        "reset-password",
        help="give an account a new password; its sign-ins end and its sign-in limits lift",
        description="Give an account a new password (asked for twice, or read from standard "
        "input with --password-stdin). Every browser signed in to the account is signed out.",
    )
    reset.add_argument("username")
    reset.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    reset.set_defaults(handler=run_reset_password)
    deactivate = actions.add_parser(
        "deactivate", help="stop an account signing in; its sign-ins end at once"
    )
    deactivate.add_argument("username")
    deactivate.set_defaults(handler=run_set_active, active=False)
    reactivate = actions.add_parser("reactivate", help="let a deactivated account sign in again")
    reactivate.add_argument("username")
    reactivate.set_defaults(handler=run_set_active, active=True)
    unlock = actions.add_parser("unlock", help="lift the sign-in limits on an account")
    unlock.add_argument("username")
    unlock.set_defaults(handler=run_unlock_user)


def run_create_user(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from cli.context import open_engine
    from survey.staff.users import create_user

    username = args.username or input("Username: ")
    password = _new_password(args.password_stdin)
    if password is None:
        print("The passwords differ; nothing was created.", file=sys.stderr)
        return 2
    with Session(open_engine()) as db:
        try:
            member = create_user(
                db,
                username=username,
                password=password,
                role=args.role,
                display_name=args.display_name,
                actor=ACTOR,
                email=args.email,
            )
        except ValueError as exc:
            print(f"Not created: {exc}", file=sys.stderr)
            return 2
    print(f"Created {member.role} account '{member.username}'.")
    return 0


def register_unlock(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "unlock-user",
        help="lift the sign-in limits on a staff account (the same as `users unlock`)",
        description="Lift every sign-in limit on a username (after too many wrong passwords).",
    )
    parser.add_argument("username")
    parser.set_defaults(handler=run_unlock_user)


def run_unlock_user(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from cli.context import open_engine
    from survey.staff.users import unlock_user

    with Session(open_engine()) as db:
        try:
            lifted = unlock_user(db, operator(ACTOR), args.username)
        except ValueError as exc:
            print(f"Not unlocked: {exc}", file=sys.stderr)
            return 2
    print(f"Lifted {lifted} sign-in limits on '{args.username.strip().lower()}'.")
    return 0


def run_list(_args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from cli.context import open_engine
    from survey.staff.users import staff_accounts

    with Session(open_engine()) as db:
        accounts = staff_accounts(db, operator(ACTOR))
    if accounts.empty:
        print("No staff accounts yet: create the first admin with `youthvoice create-user`.")
        return 0
    accounts["Active"] = accounts["Active"].map({True: "yes", False: "no"})
    print(accounts.to_string(index=False))
    return 0


def run_reset_password(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from cli.context import open_engine
    from survey.staff.users import reset_password

    password = _new_password(args.password_stdin)
    if password is None:
        print("The passwords differ; nothing was changed.", file=sys.stderr)
        return 2
    with Session(open_engine()) as db:
        try:
            ended = reset_password(db, operator(ACTOR), args.username, password)
        except ValueError as exc:
            print(f"Not changed: {exc}", file=sys.stderr)
            return 2
    name = args.username.strip().lower()
    print(f"New password set for '{name}'; {_sign_ins(ended)} ended.")
    return 0


def run_set_active(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from cli.context import open_engine
    from survey.staff.users import set_active

    with Session(open_engine()) as db:
        try:
            ended = set_active(db, operator(ACTOR), args.username, args.active)
        except ValueError as exc:
            print(f"Not changed: {exc}", file=sys.stderr)
            return 2
    name = args.username.strip().lower()
    if args.active:
        print(f"'{name}' can sign in again.")
    else:
        print(f"Deactivated '{name}'; {_sign_ins(ended)} ended.")
    return 0


def _new_password(from_stdin: bool) -> str | None:
    """A new password from standard input, or typed twice (None: the two differ)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password (12+ characters): ")
    return password if getpass.getpass("Same password again: ") == password else None


def _sign_ins(count: int) -> str:
    return f"{count} sign-in" + ("" if count == 1 else "s")
