"""``plansheet sources OUT`` (every source with its state) and ``plansheet retire OUT SOURCE``."""
from __future__ import annotations

from pathlib import Path

import click

SOURCES_EXAMPLES = """
\b
Examples:
  plansheet sources data
  plansheet sources data --state gone --state retired
  plansheet sources data --history
"""
RETIRE_EXAMPLES = """
\b
Examples:
  plansheet retire data https://city.example/plans/2019.pdf
  plansheet retire data inbox/old/plan.pdf
  plansheet retire data inbox/old/plan.pdf --undo
"""


@click.command("sources", epilog=SOURCES_EXAMPLES)
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--state", "states", multiple=True, type=click.Choice(["current", "gone", "retired"]),
              help="Only sources in this state (repeat for several).")
@click.option("--history", is_flag=True, help="Every version of each source's bytes, and when it ended.")
def sources_command(out: Path, states: tuple[str, ...], history: bool) -> None:
    """List the sources an ingest output knows: state, status, documents, last night seen, name.

    Last seen is the last ingest that got the source's bytes (a URL that could not be fetched
    was not seen). A current source whose bytes or download cannot be read now keeps the
    rows of its last good version; a second line says what fails, and since which run.

    State `current`: its rows are in the tables. `gone`: an ingest looked for it and did
    not find it (a renamed or deleted file, a URL dropped from the list); its rows were
    removed. `retired`: retired with `plansheet retire`. See docs/batch.md.
    """
    from plansheet.batch.archive import list_sources, open_catalog

    entries = [e for e in list_sources(out) if not states or e.state in states]
    started = _runs_started(out, {e.last_seen_run for e in entries if e.last_seen_run})
    if history:
        catalog = open_catalog(out, readonly=True)
        try:
            versions = catalog.versions()
        finally:
            catalog.close()
        names = {e.source: e.source_file for e in entries}
        click.echo(f"{'sha256':16}  {'status':8} {'docs':>4}  {'runs':9}  {'ended':10}  source")
        for source, sha, status, docs, first, _seen, last, ended, _at in versions:
            if source in names:
                runs = f"{first}-{last if last is not None else ''}"
                click.echo(f"{(sha or '-')[:16]:16}  {status or '-':8} {docs or 0:>4}  {runs:9}  "
                           f"{ended or 'current':10}  {names[source]}")
        return
    click.echo(f"{'state':8} {'status':8} {'docs':>4}  {'last seen':20}  source")
    for e in entries:
        seen = f"run {e.last_seen_run} {started.get(e.last_seen_run, '')[:10]}" if e.last_seen_run else "-"
        click.echo(f"{e.state:8} {e.status or '-':8} {e.documents or 0:>4}  {seen:20}  {e.source_file}")
        if e.state != "current" and e.state_reason:
            click.echo(f"{'':44}{e.state_reason}")
        elif e.state == "current" and e.failure:  # its rows are its last good version's
            click.echo(f"{'':44}failing since run {e.failure['run']} ({e.failure['at']}), its last good rows kept: "
                       f"{e.failure['error']}")
    counts = {s: sum(1 for e in entries if e.state == s) for s in ("current", "gone", "retired")}
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()), err=True)


def _runs_started(out: Path, runs: set[int]) -> dict[int, str]:
    """When each of ``runs`` (ingests of ``out``) started: the day a source was last seen is its run's."""
    from plansheet.batch.archive import open_catalog

    catalog = open_catalog(out, readonly=True)
    try:
        return {run: started for run in runs if (started := catalog.run_started(run))}
    finally:
        catalog.close()


@click.command("retire", epilog=RETIRE_EXAMPLES)
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("source")
@click.option("--undo", is_flag=True, help="Bring a retired source back: the next ingest that finds it converts it.")
def retire_command(out: Path, source: str, undo: bool) -> None:
    """Retire SOURCE (a URL, or a file's name or path): its rows leave the tables.

    Its `sources` row stays, with state `retired`, and later ingests leave it alone even
    when they still find it. The CSVs and goal_lineage are rebuilt. Exit code 2 when
    SOURCE is unknown, 3 when an ingest is writing OUT.
    """
    from plansheet.batch.archive import retire

    entry = retire(out, source, undo=undo)
    done = "brought back (converted when next found)" if undo else "retired: its rows were removed"
    click.echo(f"{entry.state:8} {entry.source_file}: {done}")
