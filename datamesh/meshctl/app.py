"""The ``meshctl`` command: its commands, their help, and the exit codes they share."""

from __future__ import annotations

import typer

from datamesh.meshctl import (
    catalog,
    conformance,
    contract,
    demo,
    deploy,
    doctor,
    domains,
    graph,
    plan,
    portal,
    repair,
    report,
    sample_data,
    schema,
    shares,
    validate,
    why,
)
from datamesh.meshctl.exit_codes import MEANINGS

EXIT_CODES = "Exit codes:\n\n" + "\n\n".join(f"{int(code)}  {meaning}" for code, meaning in MEANINGS.items())

app = typer.Typer(
    name="meshctl",
    help="Work with the data mesh's parameter files (mesh.yaml, domains/*.yaml) and check the "
    "accounts they deploy to. Changes are edits of the files: review them, merge, and the next "
    "`cdk deploy --all` applies them.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("validate")(validate.validate)
app.command("schema")(schema.schema)
app.command("new-domain")(domains.new_domain)
app.command("subscribe")(shares.subscribe)
app.command("approve")(shares.approve)
app.command("deny")(shares.deny)
app.command("revoke")(shares.revoke)
app.command("shares")(shares.shares)
app.command("plan")(plan.plan)
app.add_typer(catalog.app, name="catalog")
app.add_typer(contract.app, name="contract")
app.command("deploy")(deploy.deploy)
app.command("doctor")(doctor.doctor)
app.command("why")(why.why)
app.command("repair")(repair.repair)
app.command("demo")(demo.demo)
app.command("graph")(graph.graph)
app.command("report")(report.report)
app.command("portal")(portal.portal)
app.command("sample-data")(sample_data.sample_data)
app.command("conformance")(conformance.conformance)


def main() -> None:
    app()
