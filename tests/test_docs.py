"""Every command has help with an example and is documented in the README."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import ROOT
from plansheet.cli.main import main


@pytest.mark.parametrize("command", sorted(main.commands))
def test_command_is_documented(command: str) -> None:
    assert f"plansheet {command}" in (ROOT / "README.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and len(result.output.splitlines()) > 5
