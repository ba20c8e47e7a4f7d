"""The notification worker, a process of its own (`python -m bot.notify`, started by bot/run.py):
sends the status news and deadline reminders that knowledge/notifications.py queues.

  worker.py    one round: queue today's due reminders, claim what is due, send it, record the outcome
  messages.py  what the applicant reads, in their language (the status lines of a status check)
  senders.py   one sender per channel: Telegram (python-telegram-bot, straight to the Bot API),
               the widget (through the Rasa server, which holds the socket.io sessions) and e-mail

Several workers may run (one per server): each notification is claimed by one of them.
"""
