"""Serving the assistant. Each folder is one process and its framework:

- `run.py`: the process runner (`make run`, `python -m bot.run`) that starts and supervises the others;
- `rasa_server.py`: the Rasa server's entry (`rasa run` with our patches); what it loads is in
  `server/` (`channels/` input channels, `stores/` tracker and lock stores, `patches/` changes to
  Rasa's own behaviour);
- `action_server.py`: the action server's entry (rasa-sdk serving the `actions` package);
- `web/`: the staff web application (aiohttp: login, helpdesk console, knowledge-base admin) that
  also serves the demo page and the widget's files;
- `notify/`: the notification worker (`python -m bot.notify`: asyncio, python-telegram-bot,
  aiosmtplib) that sends applicants their status news and deadline reminders;
- `widget/`: the embeddable chat widget (npm, esbuild), built into `widget/dist/`.
"""
