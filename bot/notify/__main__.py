"""python -m bot.notify [--rasa-api URL]: the notification worker, until Ctrl-C or SIGTERM."""
import argparse
import asyncio
import logging
import signal
import sys

from bot.notify.senders import senders, telegram_bot
from bot.notify.worker import Worker
from bot.web.rasa_client import RasaApi
from knowledge import settings

NEEDS = ("DATABASE_URL", "KCN_TODAY", "RASA_API_TOKEN", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL",
         "KCN_SMTP_URL", "KCN_MAIL_FROM", "KCN_MAIL_OUTBOX", "KCN_REMINDER_DAYS", "KCN_NOTIFY_INTERVAL",
         "KCN_RETENTION_INTERVAL", "KCN_TRACKER_DB", "KCN_PROFILE")


async def serve(rasa_api: str) -> None:
    rasa = RasaApi(rasa_api, settings.rasa_api_token())
    await rasa.start()
    bot = telegram_bot()
    if bot is not None:
        await bot.initialize()
    stopping = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stopping.set)
    try:
        logging.getLogger(__name__).info("notify: sending status news and reminders every %.0f s",
                                         settings.notify_interval())
        await Worker(senders(rasa, bot)).run(settings.notify_interval(), stopping)
    finally:
        if bot is not None:
            await bot.shutdown()
        await rasa.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.notify", description=__doc__)
    parser.add_argument("--rasa-api", default="http://127.0.0.1:5005",
                        help="the Rasa HTTP API that delivers news to open widget sessions")
    args = parser.parse_args(argv)
    settings.require("The notification worker", NEEDS)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s  %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines are request URLs (with the token)
    asyncio.run(serve(args.rasa_api))
    return 0


if __name__ == "__main__":
    sys.exit(main())
