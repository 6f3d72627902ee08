"""``meshctl plan``: the stacks, accounts and grants the files produce, and what changed since a git ref."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from datamesh.meshctl import output

if TYPE_CHECKING:  # imported where used, so that meshctl and its --help start at once
    from datamesh.blueprint import DataFilter, Grant, StackSpec
    from datamesh.config import Mesh

CHANGE_STYLES = {"added": "green", "removed": "red", "changed": "yellow", "unchanged": "", "": ""}


def mesh_at(ref: str, mesh_file: Path, scratch: Path) -> Mesh | None:
    """The mesh as the files were at git ``ref``, copied into ``scratch``; ``None`` when there was none.

    :raises GitError: when git cannot give the files.
    :raises ConfigError: when they do not validate, each problem's file named ``REF:path``.
    """
    from datamesh.blueprint.targeted import files_at

    return files_at(ref, mesh_file, scratch)[1]


def _change(key: Any, value: Any, before: dict[Any, Any] | None) -> str:
    if before is None:
        return ""
    if key not in before:
        return "added"
    return "unchanged" if before[key] == value else "changed"


def _rows(now: dict[Any, Any], before: dict[Any, Any] | None) -> list[tuple[Any, Any, str]]:
    """Every key with its value and change; keys only in ``before`` come last, as removed."""
    rows = [(key, value, _change(key, value, before)) for key, value in now.items()]
    rows += [(key, value, "removed") for key, value in (before or {}).items() if key not in now]
    return rows


def build_plan(mesh: Mesh, before: Mesh | None, compared: bool, today: date) -> dict[str, Any]:
    """The plan as data: with ``compared`` each item says whether it was added, removed or changed."""
    from datamesh.blueprint import blueprint

    def stacks(m: Mesh | None) -> dict[str, StackSpec]:
        return {s.name: s for s in blueprint(m, today).stacks} if m else {}

    def grants(m: Mesh | None) -> dict[Grant, None]:
        return dict.fromkeys(sorted(blueprint(m, today).grants)) if m else {}

    def accounts(m: Mesh | None) -> dict[str, str]:
        return blueprint(m, today).accounts if m else {}

    def principals(m: Mesh | None) -> dict[tuple[str, str], tuple[str, str]]:
        """Each consumer domain's principals: (domain, name) -> (role ARN, engine)."""
        from datamesh.blueprint.lake import principal_arn
        from datamesh.report.readers import engine_text

        if m is None:
            return {}
        return {(d.name, p.name): (principal_arn(m, d.name, p), engine_text(p)) for d in m.consumers for p in d.readers}

    def principal_grants(m: Mesh | None) -> dict[tuple[Grant, str], str]:
        """Each grant with the catalog holding its resource (a resource link of the consumer's, or the
        governance catalog's database and tables: equal resources but for that), to how it is shown."""
        if m is None:
            return {}
        plan, governance = blueprint(m, today), m.config.governance_account
        found = sorted((g, g.resource.catalog) for d in m.consumers for g in plan.principal_grants(d.name))
        return {
            (g, catalog): f"{g.resource} of the governance catalog"
            if catalog == governance
            else f"resource link {g.resource.database}"
            for g, catalog in found
        }

    def filters(m: Mesh | None) -> dict[tuple[str, str, str], DataFilter]:
        return {(f.consumer, f.product, f.table): f for f in blueprint(m, today).data_filters} if m else {}

    def states(m: Mesh | None) -> dict[tuple[str, str], str]:
        return {(s.consumer, f"{s.producer}.{s.product}"): s.state.value for s in m.shares(today)} if m else {}

    def baseline(of: Any) -> Any:
        return of(before) if compared else None

    now_states, old_states = states(mesh), states(before)
    return {
        "mesh": mesh.config.name,
        "stacks": [
            {"name": name, "id": s.id, "kind": s.kind, "account": s.account, "domain": s.domain, "change": change}
            for name, s, change in _rows(stacks(mesh), baseline(stacks))
        ],
        "accounts": [
            {"account": account, "role": role, "change": change}
            for account, role, change in _rows(accounts(mesh), baseline(accounts))
        ],
        "grants": [
            {
                "consumer": g.consumer,
                "product": g.product,
                "principal": g.principal,
                "resource": str(g.resource),
                "permissions": list(g.permissions),
                "change": change,
            }
            for g, _, change in _rows(grants(mesh), baseline(grants))
        ],
        "principals": [
            {"domain": domain, "principal": name, "role": role, "engine": engine, "change": change}
            for (domain, name), (role, engine), change in _rows(principals(mesh), baseline(principals))
        ],
        "principal_grants": [
            {
                "consumer": g.consumer,
                "product": g.product,
                "principal": g.principal,
                "resource": shown,
                "permissions": list(g.permissions),
                "change": change,
            }
            for (g, _), shown, change in _rows(principal_grants(mesh), baseline(principal_grants))
        ],
        "filters": [
            {
                "consumer": f.consumer,
                "product": f.product,
                "table": f.table,
                "name": f.name,
                "rows": f.rows,
                "columns": list(f.columns),
                "change": change,
            }
            for _, f, change in _rows(filters(mesh), baseline(filters))
        ],
        "shares": [
            {
                "consumer": consumer,
                "product": product,
                "state": now_states.get((consumer, product)),
                "previous_state": old_states.get((consumer, product)) if compared else None,
            }
            for consumer, product in [*now_states, *(k for k in old_states if k not in now_states)]
        ],
    }


def _summary(items: list[dict[str, Any]], noun: str) -> str:
    counts = {c: sum(1 for i in items if i["change"] == c) for c in ("added", "changed", "removed")}
    return f"{noun}: {counts['added']} to add, {counts['changed']} to change, {counts['removed']} to remove"


def _show(plan: dict[str, Any], since: str | None) -> None:
    compared = since is not None
    title = f"mesh {plan['mesh']}" + (f", compared with {since}" if compared else "")

    def table(name: str, columns: list[str], rows: list[tuple[list[Any], str]]) -> None:
        t = Table(title=f"{name} ({title})", title_justify="left")
        for column in columns + (["change"] if compared else []):
            t.add_column(column)
        for cells, change in rows:
            style = CHANGE_STYLES[change]
            t.add_row(*(output.cell(c, style) for c in cells), *([output.cell(change, style)] if compared else []))
        output.show(t)

    table(
        "stacks",
        ["stack", "kind", "account"],
        [([s["name"], s["kind"], s["account"]], s["change"]) for s in plan["stacks"]],
    )
    table("accounts", ["account", "role"], [([a["account"], a["role"]], a["change"]) for a in plan["accounts"]])
    table(
        "grants by the governance catalog",
        ["consumer", "product", "permissions", "resource"],
        [
            ([g["consumer"], f"{g['product']}", ", ".join(g["permissions"]), g["resource"]], g["change"])
            for g in plan["grants"]
        ],
    )
    table(
        "principals of the consumer domains",
        ["domain", "principal", "role", "engine"],
        [([p["domain"], p["principal"], p["role"], p["engine"]], p["change"]) for p in plan["principals"]],
    )
    table(
        "grants by the consumer accounts to their principals",
        ["consumer", "principal", "product", "permissions", "resource"],
        [
            (
                [
                    g["consumer"],
                    g["principal"].rsplit("/", 1)[-1],
                    g["product"],
                    ", ".join(g["permissions"]),
                    g["resource"],
                ],
                g["change"],
            )
            for g in plan["principal_grants"]
        ],
    )
    table(
        "data cells filters in the governance catalog",
        ["consumer", "product", "table", "rows", "columns read"],
        [
            (
                [f["consumer"], f["product"], f["table"], f["rows"] or "every row", ", ".join(f["columns"]) or "all"],
                f["change"],
            )
            for f in plan["filters"]
        ],
    )
    moved = [s for s in plan["shares"] if compared and s["state"] != s["previous_state"]]
    if compared:
        t = Table(title=f"shares whose state changes ({title})", title_justify="left")
        for column in ("consumer", "product", "before", "after"):
            t.add_column(column)
        for s in moved:
            t.add_row(
                *(output.cell(v) for v in (s["consumer"], s["product"], s["previous_state"] or "-", s["state"] or "-"))
            )
        output.show(t)
        for key, noun in (
            ("stacks", "stacks"),
            ("grants", "grants"),
            ("principals", "principals"),
            ("principal_grants", "principal grants"),
            ("filters", "filters"),
        ):
            output.line(_summary(plan[key], noun))


def plan(
    since: Annotated[
        str | None, typer.Option("--since", metavar="REF", help="Git revision to compare with, e.g. origin/main.")
    ] = None,
    mesh: output.MeshOption = Path("mesh.yaml"),
    json: output.JsonOption = False,
) -> None:
    """Which stacks, accounts, grants, principals and filters the files produce; with --since, what changed.

    Derived from the parameter files alone (no CDK synth). A stack is "changed" when the
    settings it is built from changed; the grants are the governance catalog's grants to
    consumer accounts, one per resource; the principals are who reads each consumer domain's
    subscriptions (a role and an engine); the filters are the data cells filters approvals make.
    """
    current = output.load(mesh)
    today = date.today()
    before = None
    if since is not None:
        with (
            output.exit_on_git_error(),
            output.exit_on_config_error(f"the files at {since} do not validate; nothing to compare with"),
        ):
            with tempfile.TemporaryDirectory(prefix="meshctl-plan-") as scratch:
                before = mesh_at(since, mesh, Path(scratch))
    result = build_plan(current, before, since is not None, today)
    if json:
        output.emit_json({"since": since, **result})
    else:
        _show(result, since)
