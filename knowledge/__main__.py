"""Knowledge-base command line for developers and secretariat staff.

  python -m knowledge init [--no-demo]     create the database from the seed if it is empty
  python -m knowledge show                 the current call's facts
  python -m knowledge proposals list       every proposal with its current status
  python -m knowledge proposals set-status CODE STATUS --note "..." [--by NAME]
  python -m knowledge proposals load-demo  add the sample proposals (marked demo)
"""
import argparse
import sys

from knowledge import proposals, seed, service
from knowledge.db import database_url


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="create the database from the seed if it is empty")
    init.add_argument("--no-demo", action="store_true", help="do not add the sample proposals to a new database")
    sub.add_parser("reset", help="drop everything and load the seed again")
    sub.add_parser("show", help="print the current call's facts")
    staff = sub.add_parser("proposals", help="applicants' proposals").add_subparsers(dest="action", required=True)
    staff.add_parser("list", help="every proposal with its current status")
    change = staff.add_parser("set-status", help="record a status change with a note")
    change.add_argument("code")
    change.add_argument("status", help="draft, submitted, pre_consulting, under_review, selected, not_selected")
    change.add_argument("--note", default="", help="a short note the applicant will see")
    change.add_argument("--by", default="", help="who made the change")
    staff.add_parser("load-demo", help="add the sample proposals (marked demo)")
    args = parser.parse_args(argv)

    if args.command == "init":
        loaded = seed.init_db()
        print(f"{'Loaded the seed into' if loaded else 'Knowledge base already present at'} {database_url()}")
        if loaded and not args.no_demo:
            print(f"Added {proposals.load_demo()} sample proposals (marked demo; see README).")
    elif args.command == "proposals":
        return proposals_command(args)
    elif args.command == "reset":
        seed.reset_db()
        print(f"Reloaded the seed into {database_url()}")
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


def proposals_command(args) -> int:
    try:
        if args.action == "list":
            for p in proposals.list_all():
                step = p.current
                print(f"{p.code}  {p.track_code:<13} {step.status:<14} {step.at:%Y-%m-%d %H:%M}  "
                      f"{p.applicant_org or '-'} <{p.contact_email}>{'  [demo]' if p.demo else ''}")
        elif args.action == "set-status":
            p = proposals.set_status(args.code, args.status, note=args.note, by=args.by)
            print(f"{p.code} is now {p.current.status} ({p.current.at:%Y-%m-%d %H:%M}).")
        elif args.action == "load-demo":
            print(f"Added {proposals.load_demo()} sample proposals.")
    except proposals.ProposalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
