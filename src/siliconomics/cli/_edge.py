"""Where the command line meets the user: every outcome is output, one error line, or an exit code.

:class:`Group` runs a command in Click's non-standalone mode and turns whatever ends it into one
line on stderr and an exit code:

- a usage error (unknown option, bad type, value out of a declared range): ``error: ...`` and
  the command's ``--help`` hint, exit 2 (Click's three-line usage block is not printed);
- a :class:`~siliconomics.errors.SiliconomicsError` never reaches here: ``handle_errors`` prints
  it, exit 2;
- SIGINT or SIGTERM: ``error: interrupted`` / ``error: terminated``, exit 130 / 143, after every
  ``finally`` (temporary files removed) has run;
- anything else is a bug: one line naming it, exit 1; ``SILICONOMICS_TRACEBACK=1`` shows the
  traceback.

NumPy's RuntimeWarnings (overflow, invalid value) become errors: a result computed through one
is not trusted. The package's own warnings print as one ``warning: ...`` line each.
"""

from __future__ import annotations

import os
import signal
import sys
import warnings

import typer
from typer.core import TyperGroup

from ..errors import ModelWarning

#: Exit codes: usage and input errors, interrupted (128 + SIGINT), terminated (128 + SIGTERM).
USAGE, INTERRUPTED, TERMINATED, BUG = 2, 130, 143, 1


def _click_exceptions():
    try:
        from typer._click import exceptions  # Typer vendors Click from 0.2x on
    except ImportError:  # pragma: no cover - older Typer uses Click itself
        from click import exceptions
    return exceptions


class Terminated(SystemExit):
    """Raised in the main thread on SIGTERM, so ``finally`` blocks clean up as on Ctrl-C."""

    def __init__(self):
        super().__init__(TERMINATED)


#: The exit code of a SIGTERM or SIGINT that arrived during the command (None: none did). An
#: exception that a library or C extension turned the interruption into (a ``SystemError``
#: from a C call that returned with ours set, an error wrapping it) is still a termination or
#: an interruption, not a bug.
_SIGNALLED: int | None = None


def _on_sigterm(signum, frame):
    global _SIGNALLED
    _SIGNALLED = TERMINATED
    raise Terminated()


def _on_sigint(signum, frame):
    global _SIGNALLED
    _SIGNALLED = INTERRUPTED
    signal.default_int_handler(signum, frame)  # raises KeyboardInterrupt, as Python's own does


#: The timer delivering again an interruption that landed where Python swallows exceptions
#: (None: none did), and the unraisable hook in place before the command's.
_REDELIVERY = None
_UNRAISABLE_HOOK = sys.unraisablehook


def _on_unraisable(unraisable):
    """Our interruption raised where Python cannot propagate it (a weakref callback, a
    ``__del__``) would be swallowed there, with an "Exception ignored" traceback, and the
    command would go on. Say nothing and deliver the signal once more, a moment later from
    another thread, so that it lands in ordinary code (delivered here, in the hook, it would be
    swallowed again); a command that ends first still ends as interrupted."""
    global _REDELIVERY
    exc = unraisable.exc_value
    if _SIGNALLED is not None and isinstance(exc, (Terminated, KeyboardInterrupt)):
        import threading

        signum = signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT
        _REDELIVERY = threading.Timer(0.01, os.kill, (os.getpid(), signum))
        _REDELIVERY.daemon = True
        _REDELIVERY.start()
        return
    _UNRAISABLE_HOOK(unraisable)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    text = " ".join(str(message).split())
    print(f"warning: {text}", file=sys.stderr)


def _report_signal(code: int) -> int:
    typer.echo("error: terminated" if code == TERMINATED else "error: interrupted", err=True)
    return code


def one_line(text: str) -> str:
    """``text`` with its whitespace (newlines included) collapsed to single spaces."""
    return " ".join(str(text).split())


class Group(TyperGroup):
    """The root command group: one line per error, exit codes that scripts can rely on."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from ..units import expand_count

        # "16k", "2.5M", "1.2B" read as numbers by every option, counts included
        args = [expand_count(a) for a in (sys.argv[1:] if args is None else args)]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        sys.exit(self._run(args, prog_name, complete_var, **extra))

    def _run(self, args, prog_name, complete_var, **extra) -> int:
        global _SIGNALLED, _REDELIVERY, _UNRAISABLE_HOOK
        cx = _click_exceptions()
        _SIGNALLED = _REDELIVERY = None  # a signal of an earlier command is not this one's
        previous = {}
        _UNRAISABLE_HOOK, sys.unraisablehook = sys.unraisablehook, _on_unraisable
        try:
            previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, _on_sigterm)}
            if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                previous[signal.SIGINT] = signal.signal(signal.SIGINT, _on_sigint)
        except ValueError:  # not the main thread: leave signals alone
            pass
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("error", category=RuntimeWarning)
                # the package's own notices print as one line, whatever filters are active
                warnings.filterwarnings("default", category=UserWarning, module="siliconomics")
                warnings.filterwarnings("default", category=ModelWarning)
                warnings.showwarning = _show_warning
                rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except cx.NoArgsIsHelpError as exc:
            exc.show()
            return 0
        except cx.UsageError as exc:
            hint = ""
            if exc.ctx is not None and exc.ctx.command.get_help_option(exc.ctx) is not None:
                hint = f" (see '{exc.ctx.command_path} --help')"
            typer.echo(f"error: {one_line(exc.format_message())}{hint}", err=True)
            return USAGE
        except cx.ClickException as exc:
            if _SIGNALLED is not None:
                return _report_signal(_SIGNALLED)
            typer.echo(f"error: {one_line(exc.format_message())}", err=True)
            return exc.exit_code
        except typer.Abort:
            return _report_signal(INTERRUPTED)
        except Terminated:
            return _report_signal(TERMINATED)
        except SystemExit as exc:
            if exc.code not in (0, None) and _SIGNALLED is not None:
                return _report_signal(_SIGNALLED)  # a library that exits on our interruption
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else BUG)
        except RuntimeWarning as exc:
            typer.echo(f"error: a computation overflowed or produced an invalid value "
                       f"({one_line(exc)}); check the inputs for extreme values", err=True)
            return USAGE
        except Exception as exc:
            if _SIGNALLED is not None:  # ours, re-raised as another error
                return _report_signal(_SIGNALLED)
            if os.environ.get("SILICONOMICS_TRACEBACK"):
                raise
            typer.echo(f"error: internal error ({type(exc).__name__}: {one_line(exc)}); this "
                       "is a bug, please report it with the command that caused it "
                       "(SILICONOMICS_TRACEBACK=1 shows the traceback)", err=True)
            return BUG
        finally:
            if _REDELIVERY is not None:
                _REDELIVERY.cancel()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            sys.unraisablehook = _UNRAISABLE_HOOK
        if _REDELIVERY is not None:  # swallowed, and the command ended before it came again
            return _report_signal(_SIGNALLED)
        if rv == INTERRUPTED:
            return _report_signal(INTERRUPTED)
        return rv if isinstance(rv, int) else 0
