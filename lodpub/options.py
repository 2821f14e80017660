"""The options the commands share (--base, --jobs, --max-size, --strict, the catalogue's) and the click callbacks
that run lodpub.checks on an option's value, so that a wrong value is a usage error (exit 2)."""

from __future__ import annotations

import os

import click

from .checks import check_base, check_contact, check_http_iri, check_iri, check_text, parse_size
from .errors import LodpubError
from .uris import DEFAULT_BASE


def checked(check, *args):
    """A click callback running one of lodpub.checks on the option's value (None passes)."""

    def callback(ctx, param, value):
        if value is None:
            return value
        try:
            for one in value if isinstance(value, tuple) else (value,):  # multiple=True gives a tuple
                check(one, *args)
        except LodpubError as exc:
            message = str(exc)
            for name in param.opts:  # click names the option itself
                if message.startswith(name + " "):
                    message = message[len(name) + 1 :]
            raise click.BadParameter(message) from None
        return value

    return callback


def base_option(f):
    return click.option(
        "--base", default=DEFAULT_BASE, show_default=True, metavar="URI", callback=checked(check_base), help="Base URI of the published data (ends with /)."
    )(f)


def jobs_option(f):
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=os.cpu_count() or 1,
        show_default="the number of CPU cores",  # not this machine's count: docs/cli.md is the same everywhere
        help="Documents processed in parallel.",
    )(f)


class SizeType(click.ParamType):
    """A size such as 50MB (lodpub.checks.parse_size); 0 or none: no limit."""

    name = "size"

    def convert(self, value, param, ctx):
        if value is None or isinstance(value, int):
            return value
        try:
            return parse_size(value, param.opts[0] if param is not None else "--max-size")
        except LodpubError as exc:
            self.fail(str(exc).split(": ", 1)[-1], param, ctx)


def size_option(name: str, default: str, help: str):
    """An option taking a size such as 50MB (SizeType)."""
    return click.option(name, type=SizeType(), default=default, show_default=True, metavar="SIZE", help=help)


def count_option(name: str, default: int, help: str, least: int = 1):
    """An option taking a whole number of at least `least`."""
    return click.option(name, type=click.IntRange(min=least), default=default, show_default=True, help=help)


def scheduler_option(f):
    return click.option(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="A Dask scheduler (tcp://HOST:8786): its workers read the documents instead of --jobs local processes "
        "(pip install 'lodpub[distributed]'); the files' bytes travel with the tasks, everything else runs here.",
    )(f)


def max_size_option(f):
    return size_option("--max-size", "50MB", "Largest document read (e.g. 50MB, 1GB; 0: no limit); larger ones are refused.")(f)


def strict_option(f):
    return click.option("--strict", is_flag=True, help="Warnings count as failures for the exit code.")(f)


def seconds_option(name: str, default: float, help: str):
    """An option taking a positive number of seconds (the timeouts of lodpub push)."""
    return click.option(name, type=click.FloatRange(min=0, min_open=True), default=default, show_default=True, metavar="SECONDS", help=help)


# What the catalogue says of the publication (lodpub.publish.catalogue.About): option → help
CATALOGUE_OPTIONS = [
    (
        ("--publisher", "NAME", check_text),
        "The publishing organisation's name (zh) (default: the department of the documents when they are all one department's, else lodpub).",
    ),
    (
        ("--publisher-iri", "IRI", check_iri),
        "The publisher's IRI (default: BASE publisher; the department's IRI in the data when it is the publisher).",
    ),
    (("--contact", "EMAIL|URL", check_contact), "Contact point of the dataset: an email address or an http(s) URL (default: none)."),
    (("--title", "TEXT", check_text), "Title of the dataset, zh (default: 部门预算公开数据)."),
    (("--title-en", "TEXT", check_text), "Title of the dataset, en (default: Department budget disclosures)."),
    (("--description", "TEXT", check_text), "Description of the dataset, zh (default: how many documents, and what of them)."),
    (("--description-en", "TEXT", check_text), "Description of the dataset, en (default: how many documents, and what of them)."),
    (
        ("--landing-page", "URL", check_http_iri),
        "The dataset's landing page (default: BASE index.html, the publication's own page, where the downloads are).",
    ),
]


def catalogue_options(f):
    """The options of what the catalogue says of the publication; the command gets them as keyword
    arguments named like lodpub.publish.catalogue.About's fields."""
    for (name, metavar, check), help in reversed(CATALOGUE_OPTIONS):
        args = (name, "--description" in name) if check is check_text else (name,)
        f = click.option(name, metavar=metavar, default=None, callback=checked(check, *args), help=help)(f)
    return f
