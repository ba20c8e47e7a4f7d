"""Fixes for four per-message costs of Rasa 3.6 that dominate our reply latency (profiled with `make bench`).

Installed into the Rasa server process by bot/rasa_server.py; behaviour is unchanged, only work
that Rasa repeats for nothing is done once:

- **Action-server replies validated with a schema checked once.** `RemoteAction._validate_action_result`
  calls `jsonschema.validate`, which first checks Rasa's large events schema against the JSON-Schema
  metaschema, on every custom action: about 150 ms of CPU per answer (more than everything else
  together). The validator is built once and reused; invalid replies fail exactly as before.
- **Event classes looked up in a table.** `Event.resolve_by_type` walks every subclass of `Event`
  (recursively, with `inspect.isabstract`) for each event it deserialises, and the tracker store
  deserialises the whole conversation at every message. The table is rebuilt if a new subclass appears.
- **The model's graph run in order, without dask.** Rasa runs the NLU pipeline and the policies
  (once for each action it predicts) through `dask.get`, which schedules a fresh task graph each
  time; for graphs of a dozen nodes that scheduling cost more than some of the components. The
  graph is now evaluated depth-first, each node once, with the same nodes, inputs and results,
  and the minimal graph for a set of targets is worked out once.
- **One connection pool per endpoint.** `EndpointConfig.request` opens a new `aiohttp.ClientSession`
  (and TCP connection) for each call to the action server; a session is now kept per endpoint and
  event loop, with keep-alive connections, and closed when the loop's server stops.
"""
import asyncio
import functools
import logging
import os
import ssl
import weakref
from typing import Any, Dict, Optional, Text, Tuple

import aiohttp
from jsonschema import exceptions, validators
from rasa.core.actions import action as rasa_actions
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core import events as rasa_events
from rasa.shared.exceptions import FileNotFoundException
from rasa.shared.utils.common import all_subclasses
from rasa.utils import endpoints as rasa_endpoints

logger = logging.getLogger(__name__)


# --- Action-server replies ----------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def action_result_validator():
    """Rasa's action-server reply schema, checked against its metaschema once."""
    schema = rasa_actions.RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self, result: Dict[Text, Any]) -> bool:
    """`RemoteAction._validate_action_result` without re-checking the schema itself."""
    error = exceptions.best_match(action_result_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            "Action endpoint is valid. For more information about the format visit "
            f"{rasa_actions.DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


# --- Event deserialisation ----------------------------------------------------------------

_event_classes: Dict[Text, type] = {}
_event_class_count = -1


def _event_class(type_name: Text) -> Optional[type]:
    global _event_classes, _event_class_count
    classes = all_subclasses(rasa_events.Event) if type_name not in _event_classes else None
    if classes is not None and len(classes) != _event_class_count:
        # First use, or an event type we have not seen: a subclass may have been imported since.
        table: Dict[Text, type] = {}
        for cls in classes:
            table.setdefault(cls.type_name, cls)  # the first match wins, as in Rasa's loop
        _event_classes, _event_class_count = table, len(classes)
    return _event_classes.get(type_name)


def resolve_event_type(type_name: Text, default: Optional[type] = None) -> Optional[type]:
    """`Event.resolve_by_type` from a table instead of a walk over every subclass."""
    cls = _event_class(type_name)
    if cls is not None:
        return cls
    if type_name == "topic":
        return None  # backwards compatibility to support old TopicSet evts
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


# --- Graph runs ---------------------------------------------------------------------------


def evaluate(graph: Dict[Text, Any], targets) -> list:
    """`dask.get(graph, targets)` for Rasa's graphs: a task is `(callable, *keys)`, anything else is data."""
    results: Dict[Text, Any] = {}

    def value(key):
        if key not in results:
            task = graph[key]
            if isinstance(task, tuple) and task and callable(task[0]):
                results[key] = task[0](*(value(k) if k in graph else k for k in task[1:]))
            else:
                results[key] = task
        return results[key]

    return [value(target) for target in targets]


def run_graph_in_order(self, inputs: Optional[Dict[Text, Any]] = None, targets=None) -> Dict[Text, Any]:
    """`DaskGraphRunner.run` with `evaluate` instead of dask, and the minimal schema kept per targets."""
    run_targets = targets if targets else self._graph_schema.target_names
    schemas = self.__dict__.setdefault("_kcn_minimal_schemas", {})
    key = tuple(run_targets)
    if key not in schemas:
        schemas[key] = self._graph_schema.minimal_graph_schema(run_targets)
    run_graph = self._build_dask_graph(schemas[key])
    if inputs:
        self._add_inputs_to_graph(inputs, run_graph)
    try:
        return dict(evaluate(run_graph, run_targets))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e


# --- Connections to the action server -----------------------------------------------------

_SESSIONS_ATTRIBUTE = "_kcn_shared_sessions"  # on each EndpointConfig: {event loop: session}
_opened: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list]" = weakref.WeakKeyDictionary()


def _shared_session(endpoint) -> aiohttp.ClientSession:
    loop = asyncio.get_running_loop()
    per_loop = endpoint.__dict__.setdefault(_SESSIONS_ATTRIBUTE, weakref.WeakKeyDictionary())
    session = per_loop.get(loop)
    if session is None or session.closed:
        session = endpoint.session()  # Rasa's own settings: headers, basic auth, default timeout
        per_loop[loop] = session
        _opened.setdefault(loop, []).append(session)
    return session


async def close_shared_sessions() -> None:
    """Closes the sessions opened on the running loop (the Rasa server's `after_server_stop`)."""
    for session in _opened.pop(asyncio.get_running_loop(), []):
        if not session.closed:
            await session.close()


async def request_with_shared_session(
    self, method: Text = "post", subpath: Optional[Text] = None, content_type: Optional[Text] = "application/json",
    compress: bool = False, **kwargs: Any,
) -> Optional[Any]:
    """`EndpointConfig.request` (same arguments, headers, errors and result) on a kept session."""
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if "headers" in kwargs:
        headers.update(kwargs.pop("headers"))
    if self.headers:
        headers.update(self.headers)
    url = rasa_endpoints.concat_url(self.url, subpath)
    sslcontext = None
    if self.cafile:
        try:
            sslcontext = ssl.create_default_context(cafile=self.cafile)
        except FileNotFoundError as e:
            raise FileNotFoundException(
                f"Failed to find certificate file, '{os.path.abspath(self.cafile)}' does not exist.") from e
    async with _shared_session(self).request(
        method, url, headers=headers, params=self.combine_parameters(kwargs), compress=compress, ssl=sslcontext, **kwargs,
    ) as response:
        if response.status >= 400:
            raise rasa_endpoints.ClientResponseError(response.status, response.reason, await response.content.read())
        try:
            return await response.json()
        except aiohttp.ContentTypeError:
            return None


# --- Installation -------------------------------------------------------------------------

_ORIGINALS: Dict[str, Tuple[Any, str, Any]] = {}


def install() -> None:
    """Puts the fixes in place in this process (idempotent)."""
    if _ORIGINALS:
        return
    from rasa.core import run as rasa_run

    for owner, name, replacement in (
        (rasa_actions.RemoteAction, "_validate_action_result", validate_action_result),
        (rasa_events.Event, "resolve_by_type", staticmethod(resolve_event_type)),
        (rasa_endpoints.EndpointConfig, "request", request_with_shared_session),
        (DaskGraphRunner, "run", run_graph_in_order),
        (rasa_run, "configure_app", _closing_sessions_when_the_server_stops(rasa_run.configure_app)),
    ):
        _ORIGINALS[f"{owner.__name__}.{name}"] = (owner, name, owner.__dict__[name])
        setattr(owner, name, replacement)


def uninstall() -> None:
    """Puts Rasa's originals back (for tests)."""
    while _ORIGINALS:
        _, (owner, name, original) = _ORIGINALS.popitem()
        setattr(owner, name, original)


def _closing_sessions_when_the_server_stops(configure_app):
    """Rasa's `configure_app`, registering `close_shared_sessions` on the Sanic app it makes."""

    @functools.wraps(configure_app)
    def configure_app_closing_sessions(*args, **kwargs):
        app = configure_app(*args, **kwargs)

        async def close(_app, _loop):
            await close_shared_sessions()

        app.register_listener(close, "after_server_stop")
        return app

    return configure_app_closing_sessions
