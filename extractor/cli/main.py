"""The ``plansheet`` command group, and the one place where exceptions become exit codes.

Commands return an :class:`~plansheet.errors.ExitCode` (or nothing, for 0) and let errors
propagate; :class:`_Boundary` turns what reaches it into a one-line message on stderr and
the exit code :data:`EXIT_CODES` gives its type (the most specific entry wins). Click's
own usage errors keep click's exit code 2. To give a new error its own code, add one line.
"""
from __future__ import annotations

import logging
from typing import Any

import click

from plansheet.cli.debug import debug_command
from plansheet.cli.extract import extract_command
from plansheet.cli.ingest import ingest_command
from plansheet.cli.options import own_the_process
from plansheet.cli.rebuild import rebuild_command
from plansheet.cli.report import report_command
from plansheet.cli.schema import schema_command
from plansheet.cli.sources import retire_command, sources_command
from plansheet.core.names import log_safe
from plansheet.errors import (
    CatalogDamagedError, ClusterUnavailableError, DiskFullError, ExitCode, OutputLockedError, OutputNotWritableError,
    PlansheetError, TriageError,
)
from plansheet.version import __version__

log = logging.getLogger(__name__)
EXIT_CODES: dict[type[BaseException], ExitCode] = {
    OutputLockedError: ExitCode.LOCKED,  # another ingest is writing the output folder
    DiskFullError: ExitCode.DISK_FULL,
    OutputNotWritableError: ExitCode.OUTPUT_NOT_WRITABLE,  # permissions, a read-only file system, a file in the way
    CatalogDamagedError: ExitCode.CATALOG_DAMAGED,  # `plansheet rebuild OUT` sets it aside
    ClusterUnavailableError: ExitCode.CLUSTER_UNAVAILABLE,  # --scheduler unreachable, LocalCluster did not start
    TriageError: ExitCode.SOME_FAILED,  # the one input of `debug` cannot be read
    PlansheetError: ExitCode.USAGE,  # the run cannot start: a missing input, a bad --urls line, no Dask
}


def exit_code_of(exc: BaseException) -> ExitCode | None:
    """The exit code :data:`EXIT_CODES` gives the most specific class of ``exc``, or ``None``."""
    for cls in type(exc).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return None


class _Boundary(click.Group):
    """A click group whose commands return exit codes and whose known errors become them."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            returned = super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted: the files finished so far are written; run again for the rest", err=True)
            ctx.exit(int(ExitCode.INTERRUPTED))
        except Exception as exc:
            code = exit_code_of(exc)
            if code is None:  # a bug: one line, the traceback only with -vv
                log.debug("internal error", exc_info=True)
                click.echo(f"Error: internal error ({type(exc).__name__}: {log_safe(str(exc))}); please report it "
                           "(run with -vv for the traceback)", err=True)
                ctx.exit(int(ExitCode.INTERNAL))
            click.echo(f"Error: {log_safe(str(exc))}", err=True)  # a file name may hold a line break
            ctx.exit(int(code))
        ctx.exit(int(returned) if isinstance(returned, ExitCode) else int(ExitCode.OK))


@click.group(cls=_Boundary, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plansheet")
def main() -> None:
    """Turn Japanese municipal management-plan sheets (部の運営方針) into tidy tables.

    \b
    Examples:
      plansheet extract samples --out output
      plansheet --version
    """


def console() -> None:
    """The ``plansheet`` command's entry point (``[project.scripts]``): :func:`main` in a process of its own,
    which a finished run may end at once (:func:`plansheet.cli.options.leave`)."""
    own_the_process()
    main()


for _command in (extract_command, ingest_command, debug_command, report_command, rebuild_command,
                 schema_command, sources_command, retire_command):
    main.add_command(_command)
