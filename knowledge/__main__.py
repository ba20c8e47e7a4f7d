"""Knowledge-base command line for developers and secretariat staff.

  python -m knowledge init [--no-demo]     create the database from the seed if it is empty
  python -m knowledge show                 the current call's facts
  python -m knowledge export FILE.yaml     the whole knowledge base (all calls, both languages)
  python -m knowledge import FILE.yaml     validate completely, then apply in one transaction
  python -m knowledge diff FILE.yaml       what importing FILE.yaml would change
  python -m knowledge history              the latest changed facts: when, who, where, old and new value
  python -m knowledge revert ID [--by NAME] put back the old value of history entry ID
  python -m knowledge proposals list       every proposal with its current status
  python -m knowledge proposals set-status CODE STATUS --note "..." [--by NAME]
  python -m knowledge proposals load-demo  add the sample proposals (marked demo)
  python -m knowledge proposals news [CODE] the status news and reminders sent (or waiting) to applicants
  python -m knowledge staff add NAME --role helpdesk|secretariat|admin   a console account
  python -m knowledge staff list|passwd NAME|remove NAME|unlock NAME|handoffs
  python -m knowledge staff display-name NAME "김민지"   the name applicants see on NAME's replies
  python -m knowledge conversations forget ID   delete a conversation (an applicant's request) at the next run
  python -m knowledge conversations retention   the retention job's latest runs
  python -m knowledge inbox export [FILE]   write the inbox's training examples for `make model`
"""
import argparse
import difflib
import getpass
import sys
from pathlib import Path

import yaml

from knowledge import handoffs, inbox, notifications, proposals, retention, seed, service, settings, staff, transfer
from knowledge.db import database_url, shown_url
from knowledge.wording import LANGUAGES


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="create the database from the seed if it is empty")
    init.add_argument("--no-demo", action="store_true", help="do not add the sample proposals to a new database")
    sub.add_parser("reset", help="drop everything and load the seed again")
    sub.add_parser("show", help="print the current call's facts")
    for name, text in (("export", "write the whole knowledge base to FILE"), ("import", "validate FILE, then apply it"),
                       ("diff", "show what importing FILE would change")):
        sub.add_parser(name, help=text).add_argument("file")
    sub.choices["import"].add_argument("--by", default="", help="who is making the change (kept in the history)")
    sub.add_parser("history", help="the latest changed facts").add_argument("--limit", type=int, default=50)
    undo = sub.add_parser("revert", help="put back the old value of one history entry")
    undo.add_argument("id", type=int)
    undo.add_argument("--by", default="")
    props = sub.add_parser("proposals", help="applicants' proposals").add_subparsers(dest="action", required=True)
    props.add_parser("list", help="every proposal with its current status")
    change = props.add_parser("set-status", help="record a status change with a note")
    change.add_argument("code")
    change.add_argument("status", help="draft, submitted, pre_consulting, under_review, selected, not_selected")
    change.add_argument("--note", default="", help="a short note the applicant will see")
    change.add_argument("--by", default="", help="who made the change")
    props.add_parser("load-demo", help="add the sample proposals (marked demo)")
    news = props.add_parser("news", help="status news and deadline reminders: sent, waiting or given up")
    news.add_argument("code", nargs="?", help="only this proposal's")
    news.add_argument("--limit", type=int, default=50)
    people = sub.add_parser("staff", help="staff accounts for the web console").add_subparsers(dest="action", required=True)
    add = people.add_parser("add", help="create an account (the password is asked for, or read from stdin)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=staff.ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--language", choices=LANGUAGES, help="the staff pages' language (default: the browser's)")
    add.add_argument("--display-name", help="the name applicants see on your replies (default: none, only 'Helpdesk')")
    shown = people.add_parser("display-name", help="set the name applicants see on an officer's replies ('' for none)")
    shown.add_argument("username")
    shown.add_argument("name")
    passwd = people.add_parser("passwd", help="set a new password (logs the account out everywhere)")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true")
    people.add_parser("list", help="active accounts and their roles")
    people.add_parser("remove", help="deactivate an account").add_argument("username")
    people.add_parser("unlock", help="forget an account's failed logins (it may log in again at once)"
                      ).add_argument("username")
    people.add_parser("handoffs", help="every helpdesk handoff: who took it, when, how it ended")
    talks = sub.add_parser("conversations", help="applicants' conversations: deletion on request, retention runs"
                           ).add_subparsers(dest="action", required=True)
    talks.add_parser("forget", help="delete a conversation at the retention job's next run (an applicant's request)"
                     ).add_argument("conversation_id")
    talks.add_parser("retention", help="the retention job's latest runs: what each deleted")
    unanswered = sub.add_parser("inbox", help="the unanswered-questions inbox").add_subparsers(dest="action", required=True)
    unanswered.add_parser("export", help="write the examples marked in the inbox as training data (run by make model)"
                          ).add_argument("file", nargs="?", default=str(inbox.EXPORT_FILE))
    args = parser.parse_args(argv)

    if args.command == "init":
        loaded = seed.init_db()
        print(f"{'Loaded the seed into' if loaded else 'Knowledge base already present at'} {shown_url(database_url())}")
        if loaded and not args.no_demo:
            print(f"Added {proposals.load_demo()} sample proposals (marked demo; see README).")
    elif args.command == "proposals":
        return proposals_command(args)
    elif args.command == "staff":
        return staff_command(args)
    elif args.command == "conversations":
        return conversations_command(args)
    elif args.command == "inbox":
        print(f"{inbox.export_training(Path(args.file))} training example(s) from the inbox in {args.file}")
    elif args.command in ("export", "import", "diff"):
        return transfer_command(args)
    elif args.command == "history":
        for e in transfer.history(args.limit):
            print(f"#{e.id} {e.at:%Y-%m-%d %H:%M} {e.by or '-'}  {e.place}: {e.old_value!r} -> {e.new_value!r}")
    elif args.command == "revert":
        try:
            entry = transfer.revert(args.id, by=args.by)
        except transfer.ImportRejected as rejected:
            print(f"error: {rejected}", file=sys.stderr)
            return 2
        print(f"Reverted {entry.place} to {entry.old_value!r}.")
    elif args.command == "reset":
        seed.reset_db()
        print(f"Reloaded the seed into {shown_url(database_url())}")
    elif args.command == "show":
        call = service.current_call()
        if call is None:
            print("No published call.")
            return 1
        print(f"Call {call.year}: announced {call.announced_on}, up to {call.max_projects} projects, {call.total_budget_krw:,} KRW")
        for t in call.tracks:
            print(f"- {t.code}: {t.name.en}; {t.projects_selected} selected; {t.amount_min_krw:,}-{t.amount_max_krw:,} KRW; "
                  f"{t.intake_mode} deadline={t.deadline} cutoff={t.review_cutoff}; secretariat {t.secretariat.code}")
    return 0


def transfer_command(args) -> int:
    if args.command == "export":
        with open(args.file, "w", encoding="utf-8") as f:
            f.write(transfer.dump(transfer.export_data()))
        print(f"Wrote the knowledge base to {args.file}")
        return 0
    try:
        with open(args.file, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as error:
        print(f"error: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    if args.command == "diff":
        current, new = transfer.dump(transfer.export_data()), transfer.dump(data)
        sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), new.splitlines(True), "database", args.file))
        return 0
    try:
        changed = transfer.import_data(data, by=args.by)
    except transfer.ImportRejected as rejected:
        print(f"{args.file} was not imported; nothing was changed. {len(rejected.problems)} problem(s):", file=sys.stderr)
        for problem in rejected.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    print(f"Imported {args.file}." if changed else f"{args.file} matches the knowledge base: nothing changed.")
    return 0


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first, second = getpass.getpass("Password: "), getpass.getpass("Again: ")
    if first != second:
        raise staff.StaffError("the two passwords differ")
    return first


def conversations_command(args) -> int:
    if args.action == "forget":
        retention.request(args.conversation_id)
        minutes = round(settings.retention_interval() / 60)
        print(f"{args.conversation_id} will be deleted at the retention job's next run (within {minutes} minutes), "
              "with its helpdesk handoffs and notes.")
    else:
        for run in retention.runs():
            print(f"{run.at:%Y-%m-%d %H:%M} UTC  cutoff {run.cutoff or '-'}  {run.conversations} conversations "
                  f"({run.events} events, {run.handoffs} handoffs; {run.requests} on request)")
    return 0


def staff_command(args) -> int:
    try:
        if args.action == "add":
            account = staff.add_account(args.username, _password(args), args.role, args.language, args.display_name)
            print(f"Added {account.username} ({account.role}).")
        elif args.action == "display-name":
            staff.set_display_name(args.username, args.name)
            print(f"Applicants now see {args.username}'s replies as from: {args.name or 'the helpdesk'}.")
        elif args.action == "passwd":
            staff.set_password(args.username, _password(args))
            print(f"New password set for {args.username}.")
        elif args.action == "list":
            for account in staff.accounts():
                print(f"{account.username:<24} {account.role}")
        elif args.action == "remove":
            staff.deactivate(args.username)
            print(f"Deactivated {args.username}.")
        elif args.action == "unlock":
            print(f"Forgot {staff.forget_failed_logins(args.username)} failed logins of {args.username}.")
        elif args.action == "handoffs":
            for h in handoffs.report():
                print(f"#{h.id} {h.requested_at:%Y-%m-%d %H:%M} {h.conversation_id} ({h.channel}, {h.language}, {h.reason}) "
                      f"{h.status} claimed_by={h.claimed_by or '-'} ended={h.ended_at or '-'} by={h.ended_by or '-'}")
    except staff.StaffError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def proposals_command(args) -> int:
    try:
        if args.action == "list":
            for p in proposals.list_all():
                step = p.current
                print(f"{p.code}  {p.track_code:<13} {step.status:<14} {step.at:%Y-%m-%d %H:%M}  "
                      f"{p.applicant_org or '-'} <{p.contact_email}>{'  [demo]' if p.demo else ''}")
        elif args.action == "set-status":
            p = proposals.set_status(args.code, args.status, note=args.note, by=args.by)
            told = notifications.news_of_latest_change(p.code)
            print(f"{p.code} is now {p.current.status} ({p.current.at:%Y-%m-%d %H:%M}); the applicant is told on "
                  f"{len(told)} channel(s) by the notification worker ({', '.join(n.channel for n in told)}).")
        elif args.action == "news":
            for n in notifications.history(args.code, args.limit):
                when = n.sent_at or n.failed_at or n.created_at
                error = f"  ({n.last_error})" if n.last_error and not n.sent_at else ""
                print(f"{n.created_at:%Y-%m-%d %H:%M}  {n.proposal_code}  {n.kind:<8} {n.channel:<8} {n.state:<8} "
                      f"{when:%Y-%m-%d %H:%M:%S}  tries {n.attempts}  {n.target}{error}")
        elif args.action == "load-demo":
            print(f"Added {proposals.load_demo()} sample proposals.")
    except proposals.ProposalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
