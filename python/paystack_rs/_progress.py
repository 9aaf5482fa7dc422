"""Progress for long operations (``bulk_charge.wait``, ``reconcile``): a tqdm bar when tqdm is
installed, otherwise one updating line on stderr, or the caller's own callable.

``progress=True`` shows it where someone is watching: a terminal (stderr is a TTY) or a Jupyter
kernel; elsewhere (a pipe, a log file, a Celery worker) it stays silent. ``progress="always"``
shows it anyway (a line per change where stderr is not a terminal). A callable receives
``(done, total)`` at each change.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Literal

    #: What a ``progress=`` argument may be.
    ProgressArg = bool | Literal["always"] | Callable[[int, int], object] | None

__all__ = ["Progress", "reporter"]


def _watched() -> bool:
    stream = sys.stderr
    try:
        if stream is not None and stream.isatty():
            return True
    except (AttributeError, ValueError):
        pass
    return "ipykernel" in sys.modules


class Progress:
    """Reports ``(done, total)`` as it changes; ``close()`` ends the line or bar."""

    __slots__ = ("_bar", "_callback", "_description", "_last", "_line", "_unit")

    def __init__(self, description: str, unit: str, *, callback: Callable[[int, int], object] | None = None) -> None:
        self._description = description
        self._unit = unit
        self._callback = callback
        self._bar: Any = None
        self._line: str | None = None
        self._last: tuple[int, int] | None = None
        if callback is None:
            self._bar = _tqdm(description, unit)

    def update(self, done: int, total: int, note: str = "") -> None:
        if self._last == (done, total) and not note:
            return
        self._last = (done, total)
        if self._callback is not None:
            self._callback(done, total)
            return
        bar = self._bar
        if bar is not None:
            if bar.total != total:
                bar.total = total
            bar.n = done
            if note:
                bar.set_postfix_str(note, refresh=False)
            bar.refresh()
            return
        percent = f" ({100 * done // total}%)" if total else ""
        line = f"{self._description}: {done}/{total} {self._unit}{percent}{' ' + note if note else ''}"
        if line == self._line:
            return
        stream = sys.stderr
        if stream is None:
            return
        if _watched():
            padding = " " * max(0, len(self._line or "") - len(line))
            stream.write(f"\r{line}{padding}")
        else:
            stream.write(line + "\n")
        stream.flush()
        self._line = line

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._line is not None and self._callback is None and sys.stderr is not None and _watched():
            sys.stderr.write("\n")
            sys.stderr.flush()
        self._line = None


def _tqdm(description: str, unit: str) -> Any:
    import importlib
    import warnings

    try:
        with warnings.catch_warnings():
            # tqdm.auto warns in a notebook without ipywidgets and falls back to the text bar.
            warnings.simplefilter("ignore")
            tqdm: Any = importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        return None
    return tqdm(total=0, desc=description, unit=f" {unit}", leave=True, dynamic_ncols=True)


def reporter(progress: ProgressArg, description: str, unit: str) -> Progress | None:
    """The reporter a ``progress=`` argument asks for, or None for silence."""
    if progress is None or progress is False:
        return None
    if progress is True:
        return Progress(description, unit) if _watched() else None
    if progress == "always":
        return Progress(description, unit)
    if callable(progress):
        return Progress(description, unit, callback=progress)
    raise _bad_progress(progress)


def _bad_progress(progress: object) -> Exception:
    from .errors import ValidationError

    message = f'must be True, False, "always" or a callable taking (done, total), not {progress!r}'
    return ValidationError.for_field("progress", message)
