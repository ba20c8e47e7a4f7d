"""The staff pages' Jinja2 templates (bot/web/templates) and the plain message page."""
from pathlib import Path

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                        autoescape=select_autoescape(["html"]))


def html(template: str, status: int = 200, **values) -> web.Response:
    """A page that holds a session's data: never cached."""
    return web.Response(text=TEMPLATES.get_template(template).render(**values), status=status,
                        content_type="text/html", headers={"Cache-Control": "no-store"})
