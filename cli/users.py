"""Staff account commands: create-user, unlock-user (the database and password hashing are
imported by the handlers)."""

from __future__ import annotations

import argparse
import getpass
import sys

from survey.staff.permissions import Role, operator


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


def run_create_user(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from cli.context import open_engine
    from survey.staff.users import create_user

    username = args.username or input("Username: ")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (12+ characters): ")
        if getpass.getpass("Same password again: ") != password:
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
                actor="command line",
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
        help="lift the sign-in limits on a staff account",
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
            lifted = unlock_user(db, operator("command line"), args.username)
        except ValueError as exc:
            print(f"Not unlocked: {exc}", file=sys.stderr)
            return 2
    print(f"Lifted {lifted} sign-in limits on '{args.username.strip().lower()}'.")
    return 0
