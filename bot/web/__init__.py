"""The web front process (aiohttp, `python -m bot.web`): staff pages and the widget's demo page."""
