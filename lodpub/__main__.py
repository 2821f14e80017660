"""`python -m lodpub …`: the `lodpub` command (lodpub.cli), for a checkout or an environment without its script."""

from .cli import main

main(prog_name="lodpub")
