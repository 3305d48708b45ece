"""The command listing `stagelint --help` prints from data matches the commands themselves."""

from __future__ import annotations

import importlib

import click

from stagelint.cli import COMMANDS, cli


def test_every_command_is_listed_with_its_own_short_help() -> None:
    context = click.Context(cli)
    for name, (module, short_help) in COMMANDS.items():
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command) and command.name == name
        assert command.short_help is None and command.help is not None
        for limit in (30, 45, 200):
            listed = click.Command(name, help=short_help).get_short_help_str(limit)
            assert listed == command.get_short_help_str(limit), name
        assert cli.get_command(context, name) is command
    assert cli.get_command(context, "no-such-command") is None


def test_the_help_listing_names_every_command() -> None:
    listing = cli.get_help(click.Context(cli, info_name="stagelint"))
    commands = listing.split("Commands:\n", 1)[1]
    assert [line.split()[0] for line in commands.splitlines() if line.strip()] == sorted(COMMANDS)
