"""One round of the notification worker, and the loop that repeats it every KCN_NOTIFY_INTERVAL."""
import asyncio
import functools
import logging
from typing import Dict, Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.notify.messages import compose
from bot.notify.senders import Undeliverable
from knowledge import clock, notifications, retention, settings

logger = logging.getLogger(__name__)


class Worker:
    def __init__(self, senders: Dict[str, object], name: Optional[str] = None):
        self.senders = senders
        self.name = name or notifications.worker_name()

    async def round(self) -> int:
        """Queues today's due reminders, then sends what is due; returns how many went out."""
        notifications.queue_due_reminders(clock.today())
        sent = 0
        for pending in notifications.claim(self.name):
            message = compose(pending)
            if message is None:
                notifications.mark_failed(pending.id, "the proposal or its call is gone", permanent=True)
                continue
            try:
                await self.senders[pending.channel].send(pending, message)
            except Undeliverable as error:
                gave_up = notifications.mark_failed(pending.id, str(error), permanent=error.permanent)
                logger.warning("notify: %s to %s %s: %s", pending.kind, pending.channel,
                               "given up" if gave_up else "will be retried", error)
                continue
            notifications.mark_sent(pending.id, self.name)
            sent += 1
            logger.info("notify: %s news of %s sent by %s", pending.kind, pending.proposal_code, pending.channel)
        return sent

    async def forget(self, period: bool = True) -> None:
        """The retention job: conversations past the period (unless `period` is False), and those
        their applicants asked to delete."""
        done = await asyncio.get_running_loop().run_in_executor(None, functools.partial(retention.run, period=period, settled=retention.SETTLED))
        if done.conversations or done.handoffs:
            logger.info("retention: deleted %d conversations (%d events, %d handoffs; %d asked by the applicant)",
                        done.conversations, done.events, done.handoffs, done.requests)

    async def run(self, interval: float, stopping: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        forgot = None  # when the retention job last ran
        while not stopping.is_set():
            try:
                await self.round()
                if forgot is None or loop.time() - forgot >= settings.retention_interval():
                    forgot = loop.time()
                    await self.forget()
                elif retention.requests_waiting():  # an applicant asked: within seconds, not at the next run
                    await self.forget(period=False)
            except SQLAlchemyError as error:  # the database is down: nothing is lost, the rows wait
                logger.error("notify: the knowledge base cannot be reached (%s); trying again in %.0f s",
                             type(error).__name__, interval)
            try:
                await asyncio.wait_for(stopping.wait(), interval)
            except asyncio.TimeoutError:
                pass
