"""paystack-rs's logs, through the standard ``logging`` module.

Loggers: ``paystack_rs.http`` (DEBUG: one line per request, with method, path, status, duration
and attempt), ``paystack_rs.retry`` (INFO: each retry and its reason) and ``paystack_rs.recovery``
(INFO: each lookup of a request whose answer was lost; WARNING: a charge whose outcome is unknown,
or a call cancelled while a charge of its was on the wire) and ``paystack_rs.ratelimit`` (INFO: a
429's pause for every caller of the limiter, a shared limiter's Redis answering again; WARNING:
that Redis cannot be reached, once per outage). Every record carries ``paystack_*``
extra fields (``paystack_endpoint``, ``paystack_reference``, ...). No record holds a secret key,
card data, or an authorization code beyond its last four characters.

``PAYSTACK_LOG=debug`` (or ``info``) in the environment adds a stderr handler, without code.

This module is imported only when ``logging`` is in use (or PAYSTACK_LOG is set): ``import
paystack_rs`` alone does not import ``logging``. It tells the extension which levels each logger
wants whenever logging's configuration changes, so a disabled level costs nothing per request.
"""

from __future__ import annotations

import logging
import sys

from . import _core

__all__ = ["configure_from_env", "emit", "install"]

LOGGER = logging.getLogger("paystack_rs")
#: In the order the extension's `set_log_levels` takes them.
AREAS = {area: logging.getLogger(f"paystack_rs.{area}") for area in ("http", "retry", "recovery", "ratelimit")}
_NONE = 255
_LEVELS = (logging.DEBUG, logging.INFO, logging.WARNING)


def _lowest_enabled(logger: logging.Logger) -> int:
    for level in _LEVELS:
        if logger.isEnabledFor(level):
            return level
    return _NONE


def refresh() -> None:
    """Tells the extension the lowest level each area's logger is enabled for."""
    _core.set_log_levels(*(_lowest_enabled(logger) for logger in AREAS.values()))


def install() -> None:
    """Follows logging's configuration from now on: logging clears its own level cache on every
    `setLevel`, `logging.disable` and `dictConfig`, and the extension's cache is refreshed then."""
    manager = logging.Logger.manager
    if not getattr(manager, "_paystack_rs_follows", False):
        clear_cache = getattr(manager, "_clear_cache")  # noqa: B009

        def _clear_cache_and_refresh() -> None:
            clear_cache()
            refresh()

        # The manager's own method, wrapped on this one instance (the root manager).
        setattr(manager, "_clear_cache", _clear_cache_and_refresh)  # noqa: B010
        setattr(manager, "_paystack_rs_follows", True)  # noqa: B010
    refresh()


def emit(area: str, level: int, message: str, extra: dict[str, object]) -> None:
    """One event from the extension, as a record of ``paystack_rs.<area>``."""
    logger = AREAS[area]
    if logger.isEnabledFor(level):
        logger.log(level, message, extra=extra)


def configure_from_env(value: str) -> None:
    """``PAYSTACK_LOG=debug|info``: a stderr handler on the ``paystack_rs`` logger at that level."""
    level = {"debug": logging.DEBUG, "info": logging.INFO}.get(value.strip().lower())
    if level is None:
        print(f"paystack_rs: PAYSTACK_LOG={value!r} is not 'debug' or 'info'; ignored", file=sys.stderr)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(level)
    install()
