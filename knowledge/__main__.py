"""Knowledge-base command line: python -m knowledge init|reset|show."""
import argparse
import sys

from knowledge import seed, service
from knowledge.db import database_url


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create the database from the seed if it is empty")
    sub.add_parser("reset", help="drop everything and load the seed again")
    sub.add_parser("show", help="print the current call's facts")
    args = parser.parse_args(argv)

    if args.command == "init":
        loaded = seed.init_db()
        print(f"{'Loaded the seed into' if loaded else 'Knowledge base already present at'} {database_url()}")
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


if __name__ == "__main__":
    sys.exit(main())
