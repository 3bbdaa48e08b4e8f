"""``plansheet schema``: print the data dictionary (every table, column, type and meaning)."""
from __future__ import annotations

import click

SCHEMA_EXAMPLES = """
\b
Examples:
  plansheet schema
  plansheet schema --format json > datapackage.json
  plansheet schema --table goals
"""


@click.command("schema", epilog=SCHEMA_EXAMPLES)
@click.option("--format", "form", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="markdown: docs/schema.md's text; json: the Frictionless datapackage.json written into OUT.")
@click.option("--table", default=None, help="Only this table (markdown only).")
def schema_command(form: str, table: str | None) -> None:
    """Print what every output table and column holds, with its type.

    The same text is docs/schema.md; the JSON is the datapackage.json that every run
    writes beside the data.
    """
    from plansheet.derived.dictionary import datapackage_json, markdown, tables

    if form == "json":
        click.echo(datapackage_json(), nl=False)
        return
    if table is not None:
        names = [t.name for t in tables()]
        if table not in names:
            raise click.UsageError(f"no table {table!r}; the tables are {', '.join(names)}")
        text = markdown()
        start = text.index(f"## {table}\n")
        end = text.find("\n## ", start + 1)
        click.echo(text[start:end if end >= 0 else None].rstrip())
        return
    click.echo(markdown(), nl=False)
