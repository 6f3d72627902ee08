"""``python -m datamesh``: validate the parameter files and keep the JSON Schemas current."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from datamesh import schema
from datamesh.config import ConfigError, Mesh, ShareState, load_mesh

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


@contextmanager
def exit_on_config_error() -> Iterator[None]:
    """Print each configuration problem on one line to stderr and exit 1, no traceback."""
    try:
        yield
    except ConfigError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was synthesized.", file=sys.stderr)
        sys.exit(1)


def print_summary(mesh: Mesh) -> None:
    shares = mesh.shares()
    print(
        f"mesh {mesh.config.name}: {len(mesh.domains)} domains, "
        f"{sum(len(d.products) for d in mesh.domains)} products, {len(shares)} subscriptions"
    )
    for share in shares:
        marker = "pending (awaits the producer's approval)" if share.state is ShareState.PENDING else share.state.value
        print(f"  {share.consumer} <- {share.producer}.{share.product}: {marker}")


def _validate(args: argparse.Namespace) -> int:
    with exit_on_config_error():
        mesh = load_mesh(args.mesh)
    print_summary(mesh)
    return 0


def _schema(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.check:
        outdated = schema.stale(out)
        for name in outdated:
            print(f"error: {out / name}: out of date; run `python -m datamesh schema`", file=sys.stderr)
        return 1 if outdated else 0
    for path in schema.write(out):
        print(f"wrote {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m datamesh",
        description="Tools around the datamesh CDK app (deploy it with `cdk deploy --all`).",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser(
        "validate",
        help="validate mesh.yaml and domains/*.yaml; list subscriptions and their state",
        description="Validate the parameter files; print every problem on one line; exit 1 on any.",
    )
    validate.add_argument("--mesh", default="mesh.yaml", help="path to mesh.yaml (default: %(default)s)")
    validate.set_defaults(func=_validate)
    gen = commands.add_parser(
        "schema",
        help="write the JSON Schemas of the parameter files",
        description="Write mesh.schema.json and domain.schema.json from the models that validate the files.",
    )
    gen.add_argument("--out", default=str(SCHEMA_DIR), help="output folder (default: the repository's schemas/)")
    gen.add_argument("--check", action="store_true", help="exit 1 if the files in --out are out of date")
    gen.set_defaults(func=_schema)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
