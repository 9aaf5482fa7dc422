"""Progress for long operations (``bulk_charge.wait``, ``reconcile``): a tqdm bar when tqdm is
installed, otherwise one updating line on stderr, or the caller's own callable. In a Jupyter
kernel it is one output updated in place (``IPython.display`` with a ``display_id``), text and
HTML, with or without ipywidgets: not a red stderr line per update (a kernel's stderr does not
redraw a line on ``\r``), and readable in a notebook exported to HTML (a widget without its saved
state exports as its repr).

``progress=True`` shows it where someone is watching: a terminal (stderr is a TTY) or a Jupyter
kernel; elsewhere (a pipe, a log file, a Celery worker) it stays silent. ``progress="always"``
shows it anyway (a line per change where stderr is not a terminal). A callable receives
``(done, total)`` at each change.
"""

from __future__ import annotations

import os
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

    __slots__ = ("_bar", "_callback", "_description", "_last", "_line", "_notebook", "_unit")

    def __init__(self, description: str, unit: str, *, callback: Callable[[int, int], object] | None = None) -> None:
        self._description = description
        self._unit = unit
        self._callback = callback
        self._bar: Any = None
        self._line: str | None = None
        self._last: tuple[int, int] | None = None
        self._notebook: _NotebookLine | None = None
        if callback is None:
            self._notebook = _NotebookLine.open(description, unit)
            if self._notebook is None:
                self._bar = _tqdm(description, unit)

    def update(self, done: int, total: int, note: str = "") -> None:
        if self._last == (done, total) and not note:
            return
        self._last = (done, total)
        if self._callback is not None:
            self._callback(done, total)
            return
        if self._notebook is not None:
            self._notebook.show(done, total, note)
            return
        bar = self._bar
        width = _terminal_width()
        if bar is not None:
            if bar.total != total:
                bar.total = total
            bar.n = done
            if note:
                bar.set_postfix_str(note, refresh=False)
            if width is not None and width < len(self._description) + _ROOMY:
                # tqdm cuts a row at the terminal's edge, the count first: keep it, shorten the rest.
                bar.bar_format = _COMPACT
                essentials = f"{done}/{total} {self._unit} 100%|█| 00:00 {note}"
                shown = _fit(self._description, essentials, width)
                bar.set_description_str(f"{shown}: " if shown else "", refresh=False)
            bar.refresh()
            return
        percent = f" ({100 * done // total}%)" if total else ""
        count = f"{done}/{total} {self._unit}{percent}{' ' + note if note else ''}"
        line = f"{self._description}: {count}"
        if width is not None:
            shown = _fit(self._description, count, width)
            line = (f"{shown}: {count}" if shown else count)[: width - 1]
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
        if self._notebook is not None:
            self._notebook.close()
            self._notebook = None
        elif self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._line is not None and self._callback is None and sys.stderr is not None and _watched():
            sys.stderr.write("\n")
            sys.stderr.flush()
        self._line = None


class _NotebookLine:
    """One output of a Jupyter cell, redrawn in place: a line of text and a small HTML bar."""

    __slots__ = ("_description", "_handle", "_last", "_shown", "_unit", "_when")

    #: Redrawn at most this often (seconds): every redraw is a message to the notebook.
    INTERVAL = 0.2

    def __init__(self, handle: Any, description: str, unit: str) -> None:
        self._handle = handle
        self._description = description
        self._unit = unit
        self._shown: str | None = None
        self._when = 0.0
        self._last: tuple[int, int, str] = (0, 0, "")

    @classmethod
    def open(cls, description: str, unit: str) -> _NotebookLine | None:
        """The line, when this runs in a Jupyter kernel (else None)."""
        if "ipykernel" not in sys.modules:
            return None
        try:
            from IPython import get_ipython
            from IPython.display import display

            shell = get_ipython()
            if shell is None or not hasattr(shell, "kernel"):
                return None
            show: Any = display  # untyped in IPython
            handle = show({"text/plain": f"{description}: starting"}, raw=True, display_id=True)
        except Exception:  # an IPython without display ids: fall back to the other reporters
            return None
        return cls(handle, description, unit) if handle is not None else None

    def show(self, done: int, total: int, note: str = "", *, final: bool = False) -> None:
        import time

        self._last = (done, total, note)
        now = time.monotonic()
        if not final and now - self._when < self.INTERVAL:
            return
        self._when = now
        percent = f" ({100 * done // total}%)" if total else ""
        text = f"{self._description}: {done}/{total} {self._unit}{percent}{' ' + note if note else ''}"
        if text == self._shown:
            return
        self._shown = text
        from html import escape

        value = f' value="{done}" max="{total}"' if total else ""
        html = f'<div style="font-family:monospace"><progress{value}></progress> {escape(text)}</div>'
        self._handle.update({"text/plain": text, "text/html": html}, raw=True)

    def close(self) -> None:
        done, total, note = self._last
        self.show(done, total, note, final=True)


#: A terminal at least this much wider than the description shows tqdm's whole default row.
_ROOMY = 72
#: tqdm's row on a narrower terminal: the count and percentage before the bar, no rate.
_COMPACT = "{desc}{n_fmt}/{total_fmt}{unit} {percentage:3.0f}%|{bar}| {elapsed}{postfix}"


def _terminal_width() -> int | None:
    """The columns of the terminal stderr is, or None (not a terminal: lines are never cut)."""
    stream = sys.stderr
    try:
        if stream is not None and stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, ValueError, OSError):
        pass
    return None


def _fit(description: str, rest: str, width: int) -> str:
    """The description, shortened (``…`` in the middle) so that ``description: rest`` stays within
    one row of ``width`` columns: a row that wraps cannot be redrawn in place with a carriage
    return (it goes back to the start of the last row only), so each redraw would leave a line."""
    room = width - 1 - len(rest) - 2
    if len(description) <= room:
        return description
    if room < 8:
        return ""
    head = (room - 1) // 2
    return f"{description[:head]}…{description[len(description) - (room - 1 - head) :]}"


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
