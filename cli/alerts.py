"""Safeguarding alert commands for scheduled jobs: send the queued emails, list overdue
alerts (the database and the email code are imported by the handler)."""

from __future__ import annotations

import argparse

EXIT_OVERDUE = 1  # cron mails a job's output; a scheduler also sees the exit code


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "alerts",
        help="send queued alert emails (--send), list overdue alerts (--overdue)",
        description="For cron: --send sends the queued safeguarding alert emails that are "
        "due (the app sends them too, every few seconds); --overdue lists the open alerts "
        "past their due time in working hours and exits with 1 when there are any. "
        "Nothing about the young person is printed: ids, ages and links.",
    )
    parser.add_argument(
        "--send", action="store_true", help="send the due alert emails (exit 1 if one failed)"
    )
    parser.add_argument(
        "--overdue", action="store_true", help="list overdue open alerts (exit 1 if any)"
    )
    parser.set_defaults(handler=run_alerts, parser=parser)


def run_alerts(args: argparse.Namespace) -> int:
    if not (args.send or args.overdue):
        args.parser.error("say what to do: --send, --overdue or both")
    from sqlmodel import Session

    from cli.context import open_engine
    from survey.core.settings import get_settings

    settings, engine = get_settings(), open_engine()
    code = 0
    if args.send:
        from survey.safeguarding.emailing import send_due_notices

        if not settings.alert_emails_on:
            print("Alert emails are off (YOUTHVOICE_SMTP_HOST is not set): nothing sent.")
        else:
            report = send_due_notices(engine, settings)
            print(f"Sent {len(report.sent)} alert email{'s' if len(report.sent) != 1 else ''}.")
            for who, why, next_try in report.failed:
                print(f"Email to {who} not sent: {why}; trying again after {next_try:%H:%M} UTC.")
            code = 1 if report.failed else 0
    if args.overdue:
        from survey.safeguarding.alert_times import overdue_alerts

        with Session(engine) as db:
            overdue = overdue_alerts(db, settings)
        if not overdue:
            print("No overdue alerts.")
        for alert in overdue:
            print(
                f"Alert {alert.id} ({alert.band}, {alert.state}): {alert.age.words}. "
                f"{alert.age.lateness_words}. {alert.link}"
            )
        code = code or (EXIT_OVERDUE if overdue else 0)
    return code
