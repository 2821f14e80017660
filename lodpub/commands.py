"""How the command line fails: every failure one line on stderr and an exit code, never a traceback."""

from __future__ import annotations

import os
import sys
from functools import wraps

import click

from .errors import LodpubError, printable


def lodpub_errors(f):
    """Turn library errors into a clean message and exit code 1."""

    @wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except LodpubError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def one_line(message: str) -> str:
    """A message as one line: its line breaks and control characters written as escapes."""
    return printable(" ".join(message.strip().splitlines()) if message.count("\n") else message.strip())


class Commands(click.Group):
    """lodpub's commands: every failure is one line on stderr and an exit code, never a traceback.

    A wrong option or argument exits 2, a library error 1, Ctrl-C 130; a bug is reported in one line
    too (LODPUB_DEBUG=1 shows its traceback)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            try:
                return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            except click.exceptions.Exit as exc:
                sys.exit(exc.exit_code)
            except click.UsageError as exc:
                hint = f" (see {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
                click.echo(f"Error: {one_line(exc.format_message())}{hint}", err=True)
                sys.exit(exc.exit_code)
            except click.ClickException as exc:
                click.echo(f"Error: {one_line(exc.format_message())}", err=True)
                sys.exit(exc.exit_code)
            except click.Abort:  # click's name for Ctrl-C (and end of input at a prompt)
                click.echo("Interrupted.", err=True)
                sys.exit(130)
            except KeyboardInterrupt:
                click.echo("Interrupted.", err=True)
                sys.exit(130)
            except BrokenPipeError:  # the output piped into a command that stopped reading (head …)
                sys.stderr.close()
                sys.exit(1)
            except LodpubError as exc:
                click.echo(f"Error: {one_line(str(exc))}", err=True)
                sys.exit(1)
            except Exception as exc:
                if os.environ.get("LODPUB_DEBUG"):
                    raise
                click.echo(f"Error: unexpected {type(exc).__name__}: {one_line(str(exc))} (a bug in lodpub; LODPUB_DEBUG=1 shows where)", err=True)
                sys.exit(1)
        except KeyboardInterrupt:  # a second Ctrl-C while the first was reported
            sys.exit(130)
