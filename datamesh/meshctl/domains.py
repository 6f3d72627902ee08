"""``meshctl new-domain``: a commented, valid ``domains/<name>.yaml`` to start from."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode

if TYPE_CHECKING:  # imported where used, so that meshctl and its --help start at once
    from datamesh.config import Mesh

HEADER = "# yaml-language-server: $schema=../schemas/domain.schema.json\n"


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value)


def _bootstrap_command(mesh: Mesh, account: str) -> str:
    """``cdk bootstrap`` of a domain account, trusting the account that deploys the mesh
    (the tooling account when ``delivery`` is set, else the governance account)."""
    cfg = mesh.config
    return (
        f"cdk bootstrap aws://{account}/{cfg.region} --trust {cfg.deploying_account} "
        "--cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess "
        f"--qualifier {cfg.lake_formation.cdk_qualifier}"
    )


def render(mesh: Mesh, name: str, account: str, owner: str, team: str, *, producer: bool, consumes: list[str]) -> str:
    """The text of a new domain file; a producer gets one starter product to rename and describe."""
    roles = " and ".join(r for r, on in (("a producer", producer), ("a consumer", bool(consumes))) if on)
    text = HEADER + (
        f"# {team}: {roles}. Written by `meshctl new-domain`; edit it and open a pull request.\n"
        f"name: {name}\n"
        "# The AWS account the domain's stacks deploy into (quoted: an id, not a number).\n"
        f"account: {_quoted(account)}\n"
        "owner:\n"
        f"  team: {_quoted(team)}\n"
        "  # Stack tags and the default approver of requests for this domain's products.\n"
        f"  email: {_quoted(owner)}\n"
        "  # Cost-centre tag of every stack of the domain.\n"
        "  cost_centre: unassigned\n"
    )
    if producer:
        most_confidential = mesh.config.taxonomy.confidentiality[-1]
        text += (
            "# Data products: one Glue database and table each in the central catalog, stored in\n"
            "# s3://<the domain's data bucket>/<product>/. Rename, describe and give it its real\n"
            "# columns before the first deploy.\n"
            "products:\n"
            "  - name: example\n"
            "    description: What one row means, how fresh the data is, who to ask.\n"
            f"    # One of the mesh taxonomy's levels; the most confidential until someone decides otherwise.\n"
            f"    confidentiality: {most_confidential}\n"
            "    format: parquet\n"
            "    columns:\n"
            "      # pii: true withholds a column from consumers' SELECT.\n"
            "      - {name: id, type: string, description: Identifier}\n"
            "    # Domains allowed to use it (`meshctl approve` adds them); `all` opens it to everyone.\n"
            "    shared_with: []\n"
        )
    if consumes:
        text += "# Products of other domains this domain uses (`meshctl subscribe` adds more).\nconsumes:\n"
        for reference in consumes:
            text += f"  - product: {reference}\n    permissions: [SELECT, DESCRIBE]\n"
    return text


def new_domain(
    name: Annotated[str, typer.Argument(help="Domain name: lower-case words joined by hyphens.")],
    account: Annotated[str, typer.Option("--account", metavar="ID", help="12-digit AWS account id of the domain.")],
    owner: Annotated[str, typer.Option("--owner", metavar="EMAIL", help="E-mail of the owning team.")],
    team: Annotated[str | None, typer.Option("--team", help="Owning team's name. Defaults to NAME.")] = None,
    producer: Annotated[bool, typer.Option("--producer", help="Publishes products (starts with one to edit).")] = False,
    consumer: Annotated[
        bool, typer.Option("--consumer", help="Uses other domains' products; needs --consumes.")
    ] = False,
    consumes: Annotated[
        list[str] | None,
        typer.Option("--consumes", metavar="PRODUCER.PRODUCT", help="A product to subscribe to (repeat it)."),
    ] = None,
    mesh: output.MeshOption = Path("mesh.yaml"),
) -> None:
    """Write domains/NAME.yaml, commented, then validate the whole mesh.

    Without --producer or --consumer the domain is a producer. The file is never
    overwritten, and it is removed again if the mesh no longer validates.
    """
    from datamesh.config import ConfigError, load_mesh
    from datamesh.config.loader import display_path
    from datamesh.config.models import DOMAIN_NAME
    from datamesh.policies.parameter_rules import parameter_problems
    from datamesh.shares import lifecycle
    from datamesh.shares.yaml_files import domain_file, write_atomically

    consumes = consumes or []
    if not re.match(DOMAIN_NAME, name):
        output.fail(
            ExitCode.USAGE, f"{name!r} is not a domain name: lower-case letters and digits, words joined by hyphens"
        )
    for reference in consumes:
        try:
            lifecycle.split_product(reference)
        except ValueError as exc:
            output.fail(ExitCode.USAGE, f"--consumes: {exc}")
    if consumer and not consumes:
        output.fail(ExitCode.USAGE, "--consumer needs at least one --consumes PRODUCER.PRODUCT")
    loaded = output.load(mesh)
    path = domain_file(mesh, name)
    if path.exists():
        output.fail(ExitCode.REFUSED, f"{display_path(path)} already exists; edit it instead")
    user = next((d.name for d in loaded.domains if d.account == account), None)
    if user is not None or account == loaded.config.governance_account:
        owner_of = f"domain {user!r}" if user else "the governance account"
        output.fail(
            ExitCode.REFUSED, f"--account {account} is already used by {owner_of}: each domain has its own account"
        )
    text = render(loaded, name, account, owner, team or name, producer=producer or not consumes, consumes=consumes)
    write_atomically(path, text)
    try:
        load_mesh(mesh, rules=parameter_problems)
    except ConfigError as exc:
        path.unlink()
        output.report_problems(exc.problems)
        output.fail(ExitCode.PROBLEMS, f"removed {display_path(path)} again: the mesh would not validate with it")
    output.line(f"wrote {display_path(path)}; the mesh validates", style="green")
    slug = re.sub(r"[^a-z0-9]+", "-", (team or name).lower()).strip("-")
    output.line(f"next: edit it, add `/domains/{name}.yaml @<org>/{slug}` to CODEOWNERS, and review `meshctl plan`")
    output.line(f"before its first deploy, bootstrap the new account once: {_bootstrap_command(loaded, account)}")
