"""Reads ``mesh.yaml`` and ``domains/*.yaml`` into a validated :class:`Mesh`.

Every problem is collected (parse, schema, then cross-file) and raised together in a
:class:`ConfigError`; nothing is built from a mesh that has any.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from datamesh.config import consumers, models
from datamesh.config.errors import ConfigError, Problem
from datamesh.config.mesh import Mesh
from datamesh.config.models import DomainConfig, MeshConfig, Product
from datamesh.config.parameter_files import ParameterFiles, ParameterRules
from datamesh.config.yaml_input import InputRefused, parse_yaml, read_text, yaml_error_reason
from datamesh.contracts import Contract, dqdl, load_contract
from datamesh.names import naming

Model = TypeVar("Model", bound=BaseModel)

# Lake Formation allows 1000 values per LF-tag, and the mesh's `domain` LF-tag has one per domain.
MAX_LF_TAG_VALUES = 1000

# Lake Formation shares with an account outside the producer's organization through an AWS RAM
# invitation that the consumer account must accept (docs/delivery.md); the pipeline accepts none.
DELIVERY_WITHOUT_ORGANIZATION = (
    "needs organization: between standalone accounts each consumer account must accept its AWS RAM "
    "invitations before its Access stack deploys, which the pipeline cannot do; put the accounts in one "
    "AWS Organization, or leave delivery out and deploy with `meshctl deploy --role-name ROLE`"
)


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


def _field_path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not str(part).startswith(("function-after", "literal[", "list[")):
            text += f".{part}" if text else str(part)
    return text


_PATTERN_MEANING = {
    models.ACCOUNT_ID: "must be a 12-digit AWS account id",
    models.DOMAIN_NAME: "must be lower-case letters and digits, words joined by single hyphens",
    models.PRODUCT_NAME: "must be lower-case letters, digits and underscores, starting with a letter",
    models.COLUMN_NAME: "must be lower-case letters, digits and underscores",
    models.REGION: "must be an AWS region such as eu-west-1",
    models.SUBSCRIPTION: "must be <domain>.<product>",
}


def _reason(error: dict[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (not in the schema; check the spelling)"
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "string_pattern_mismatch":
        meaning = _PATTERN_MEANING.get(error["ctx"]["pattern"], f"must match {error['ctx']['pattern']}")
        return f"{error['input']!r} {meaning}"
    message = error["msg"]
    return message.removeprefix("Value error, ")


def read_mapping(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    """The YAML mapping in ``path``, or ``None`` with the reason added to ``problems``.

    Read within the bounds of :mod:`datamesh.config.yaml_input`; a problem never quotes the
    file's text beyond a key name.
    """
    shown = display_path(path)
    try:
        data = parse_yaml(read_text(path))
    except OSError as exc:
        problems.append(Problem(shown, "", f"cannot read: {exc.strerror or exc}"))
        return None
    except InputRefused as exc:
        problems.append(Problem(shown, "", f"refused: {exc}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(shown, "", yaml_error_reason(exc)))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(shown, "", "expected a mapping of keys to values"))
        return None
    return data


def _parse(path: Path, model: type[Model], problems: list[Problem]) -> Model | None:
    data = read_mapping(path, problems)
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # A field whose union alternatives all failed yields one error per alternative; keep one.
        seen: set[str] = set()
        for error in exc.errors():
            field = _field_path(error["loc"])
            if field not in seen:
                seen.add(field)
                problems.append(Problem(display_path(path), field, _reason(error)))
        return None


def _contract_problems(contract: Contract, product: Product, levels: list[str] | None) -> list[tuple[str, str]]:
    """What the mesh adds to the standard: DQDL-expressible rules, known classifications."""
    found = dqdl.problems(contract)
    for column in contract.all_columns:
        level = column.classification
        if levels is None or level is None:
            continue
        if level not in levels:
            found.append((f"{column.field}.classification", f"unknown level {level!r} (taxonomy: {', '.join(levels)})"))
        elif product.confidentiality in levels and levels.index(level) > levels.index(product.confidentiality):
            found.append(
                (
                    f"{column.field}.classification",
                    f"{level!r} is above the product's confidentiality {product.confidentiality!r}",
                )
            )
    return found


def _contract_path(domains_dir: Path, reference: str) -> tuple[Path | None, str]:
    """The contract file a product refers to, or ``None`` and why it is refused.

    Contracts live inside the domains folder: an absolute path, a ``..`` that leaves the
    folder, or a symbolic link that resolves outside it is refused before the file is
    opened, so nothing of a file elsewhere reaches a message.
    """
    if Path(reference).is_absolute():
        return None, f"{reference!r} is absolute: give a path inside the domains folder, relative to it"
    base = domains_dir.resolve()
    if not Path(os.path.normpath(base / reference)).is_relative_to(base):
        return None, f"{reference!r} leaves the domains folder: contracts live inside it"
    try:
        resolved = (domains_dir / reference).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # missing, a symlink loop, a NUL in the path
        return None, f"{reference!r}: contract file not found"
    if not resolved.is_relative_to(base):
        return None, f"{reference!r} is a symbolic link to a file outside the domains folder"
    if not resolved.is_file():
        return None, f"{reference!r} is not a file"
    return resolved, ""


@dataclass
class _ContractsSeen:
    """Contract files and ids already used by a product, across the whole mesh."""

    files: dict[Path, str] = dataclass_field(default_factory=dict)
    ids: dict[str, str] = dataclass_field(default_factory=dict)


def _with_contracts(
    path: Path, domain: DomainConfig, levels: list[str] | None, seen: _ContractsSeen, problems: list[Problem]
) -> DomainConfig:
    """The domain with each product's table taken from its contract (file or inline)."""
    products = []
    file = display_path(path)
    for i, product in enumerate(domain.products):
        owner = f"{domain.name}.{product.name}"
        if product.contract is None:
            products.append(product)
            continue
        if isinstance(product.contract, str):
            source, refused = _contract_path(path.parent, product.contract)
            if source is not None and source in seen.files:
                refused = (
                    f"{product.contract!r} is already the contract of {seen.files[source]}: one contract per product"
                )
            if source is None or refused:
                problems.append(Problem(file, f"products[{i}].contract", refused))
                products.append(product)  # kept, so references to it are not reported again
                continue
            seen.files[source] = owner
            shown, prefix, data = display_path(path.parent / product.contract), "", read_mapping(source, problems)
            if data is None:
                products.append(product)
                continue
        else:
            shown, prefix, data = file, f"products[{i}].contract", product.contract
        contract, found = load_contract(data)
        if contract is not None:
            found = _contract_problems(contract, product, levels)
            where = shown if prefix == "" else f"{shown} {prefix}"
            key = contract.id.lower()  # a UUID is one UUID whatever the case of its hex digits (RFC 9562)
            if key in seen.ids:
                found.append(
                    (
                        "id",
                        f"{contract.id!r} is also the id of {seen.ids[key]}: "
                        "each product's contract has an id of its own",
                    )
                )
            seen.ids.setdefault(key, f"the contract of {owner} ({where})")
        problems.extend(Problem(shown, ".".join(p for p in (prefix, field) if p), reason) for field, reason in found)
        products.append(product.with_contract(contract) if contract is not None and not found else product)
    return domain.model_copy(update={"products": products})


def _domain_files(domains_dir: Path, problems: list[Problem]) -> list[Path]:
    """The domain files: ``domains/<name>.yaml``.

    Hidden files and editor leftovers (``.#sales.yaml``, ``sales.yaml~``) are ignored. Other
    spellings of the extension (``hr.yml``, ``hr.YAML``) are refused rather than read, so
    that a domain has one file name, the one meshctl edits and CODEOWNERS lists.
    """
    if not domains_dir.is_dir():
        return []
    files = []
    for path in sorted(domains_dir.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix == ".yaml":
            if not path.resolve().is_relative_to(domains_dir.resolve()):
                problems.append(
                    Problem(
                        display_path(path),
                        "",
                        "a symbolic link to a file outside the domains folder: domain files live inside it",
                    )
                )
            elif path.is_file():
                files.append(path)
            elif not path.exists():
                problems.append(Problem(display_path(path), "", "a symbolic link to a file that does not exist"))
        elif path.suffix.lower() in (".yaml", ".yml") and path.is_file():
            problems.append(
                Problem(
                    display_path(path),
                    "",
                    f"domain files end in .yaml: rename it to {path.stem}.yaml (or move it out of the domains folder)",
                )
            )
    return files


def _refused(names: list[tuple[str, str]]) -> list[str]:
    """What AWS would refuse among physical names (see :func:`naming.name_rule`), one per kind: the
    longest name of the kind when it is too long, else the first one AWS refuses."""
    longest: dict[str, str] = {}
    for kind, name in names:
        if len(name) > len(longest.get(kind, "")):
            longest[kind] = name
    refused: dict[str, str] = {}
    too_long = [(kind, name) for kind, name in longest.items() if len(name) > naming.name_rule(kind).max]
    for kind, name in [*too_long, *names]:
        problem = None if kind in refused else naming.name_problem(kind, name)
        if problem:
            refused[kind] = problem
    return list(refused.values())


def load_mesh(
    mesh_file: str | os.PathLike[str], rules: ParameterRules | None = None, *, approvals: bool = True
) -> Mesh:
    """Load and validate a mesh; its domain files are in ``domains/`` beside ``mesh_file``.

    :param rules: further checks of the files that parsed, their problems reported with the
        others; the app and meshctl pass the mesh's policies
        (:func:`datamesh.policies.parameter_rules.parameter_problems`). Defaults to none.
    :param approvals: check the approvals' row filters and withheld columns against their tables. Only
        ``meshctl contract diff`` leaves it off, to name the approvals a contract change breaks; a mesh
        loaded without it must not be synthesized. Defaults to on.
    """
    mesh_path = Path(mesh_file)
    problems: list[Problem] = []
    if not mesh_path.is_file():
        raise ConfigError([Problem(display_path(mesh_path), "", "mesh file not found")])
    config = _parse(mesh_path, MeshConfig, problems)
    domains_dir = mesh_path.parent / "domains"
    files = _domain_files(domains_dir, problems)
    if not files:
        problems.append(Problem(display_path(domains_dir), "", "no domain files (domains/<name>.yaml)"))
    elif len(files) > MAX_LF_TAG_VALUES:
        problems.append(
            Problem(
                display_path(domains_dir),
                "",
                f"{len(files)} domain files: a mesh holds at most "
                f"{MAX_LF_TAG_VALUES} domains (Lake Formation's limit of values of the LF-tag 'domain')",
            )
        )
    else:
        for key, names in naming.domain_tags(f.stem for f in files).items():
            if len(names) > naming.LF_TAG_VALUES_PER_CALL:
                problems.append(
                    Problem(
                        display_path(domains_dir),
                        "",
                        f"{len(names)} domains share the LF-tag key {key}, "
                        f"which takes at most {naming.LF_TAG_VALUES_PER_CALL}: rename one of {', '.join(names)}",
                    )
                )
    domains: list[tuple[Path, DomainConfig]] = []
    unparsed: set[str] = set()
    levels = config.taxonomy.confidentiality if config else None
    seen = _ContractsSeen()
    for path in files:
        domain = _parse(path, DomainConfig, problems)
        if domain is None:
            unparsed.add(path.stem)
        else:
            domains.append((path, _with_contracts(path, domain, levels, seen, problems)))
    if config is not None:
        tooling = config.delivery.tooling_account if config.delivery else None
        problems.extend(
            Problem(display_path(mesh_path), "name", problem)
            for problem in _refused(naming.mesh_names(config.name, config.region, tooling))
        )
    problems.extend(_cross_file_problems(mesh_path, config, domains, unparsed, approvals))
    if config is not None and rules is not None:
        shown = tuple((display_path(path), domain) for path, domain in domains)
        problems.extend(rules(ParameterFiles(display_path(mesh_path), config, shown)))
    if problems:
        raise ConfigError(problems)
    assert config is not None
    return Mesh(config=config, domains=tuple(d for _, d in sorted(domains, key=lambda x: x[1].name)), source=mesh_path)


def _cross_file_problems(
    mesh_path: Path,
    config: MeshConfig | None,
    domains: list[tuple[Path, DomainConfig]],
    unparsed: set[str],
    approvals: bool = True,
) -> list[Problem]:
    """Checks across files.

    References to a domain whose file did not parse are not reported again, and checks
    that need ``mesh.yaml`` are left out when it did not parse.
    """
    problems: list[Problem] = []
    by_name = {d.name: d for _, d in domains}
    seen_accounts: dict[str, str] = {}
    if config is not None:
        seen_accounts[config.governance_account] = f"the governance account in {display_path(mesh_path)}"
    if config is not None and config.delivery is not None and config.organization is None:
        problems.append(Problem(display_path(mesh_path), "delivery", DELIVERY_WITHOUT_ORGANIZATION))
    databases: dict[str, str] = {}

    for path, domain in domains:
        file = display_path(path)

        def add(field: str, reason: str, file: str = file) -> None:
            problems.append(Problem(file, field, reason))

        if path.stem != domain.name:
            add("name", f"{domain.name!r} must match the file name {path.stem!r}")
        if domain.account in seen_accounts:
            add("account", f"{domain.account} is already {seen_accounts[domain.account]}")
        else:
            seen_accounts[domain.account] = f"used by domain {domain.name!r}"
        if config:
            people = config.identity_center is not None and any(p.identity_center for p in domain.principals)
            names = naming.domain_names(config.name, domain.name, domain.account, config.region, people)
            for problem in _refused(names):
                add("name", problem)

        product_names: set[str] = set()
        for i, product in enumerate(domain.products):
            if product.name in product_names:
                add(f"products[{i}].name", f"duplicate product {product.name!r}")
            product_names.add(product.name)
            db = naming.database(domain.name, product.name)
            for problem in _refused(naming.product_names(domain.name, product.name, product.table_names)):
                add(f"products[{i}].name", problem)
            if db in databases and databases[db] != f"{domain.name}.{product.name}":
                add(f"products[{i}].name", f"database name {db!r} collides with {databases[db]}")
            databases.setdefault(db, f"{domain.name}.{product.name}")
            levels = config.taxonomy.confidentiality if config else [product.confidentiality]
            if product.confidentiality not in levels:
                add(
                    f"products[{i}].confidentiality",
                    f"unknown level {product.confidentiality!r} (taxonomy: {', '.join(levels)})",
                )
            if not product.is_open:
                for j, approved in enumerate(product.shared_with):
                    if approved == domain.name:
                        add(f"products[{i}].shared_with[{j}]", "a domain does not share with itself")
                    elif approved not in by_name and approved not in unparsed:
                        add(f"products[{i}].shared_with[{j}]", f"unknown domain {approved!r}")
            for j, decision in enumerate(product.decisions):
                if decision.consumer not in by_name and decision.consumer not in unparsed:
                    add(f"products[{i}].decisions[{j}].consumer", f"unknown domain {decision.consumer!r}")

            if approvals:
                consumers.approval_problems(product, f"products[{i}]", add)
        consumers.principal_problems(domain, config, add)
        consumers.engine_problems(domain, by_name, add)

        subscribed: set[str] = set()
        for i, sub in enumerate(domain.consumes):
            field = f"consumes[{i}].product"
            if sub.product in subscribed:
                add(field, f"duplicate subscription to {sub.product!r}")
            subscribed.add(sub.product)
            producer = by_name.get(sub.producer)
            if sub.producer == domain.name:
                add(field, "a domain cannot consume its own product")
            elif producer is None and sub.producer in unparsed:
                continue
            elif producer is None:
                add(field, f"unknown domain {sub.producer!r}")
            elif sub.product_name not in {p.name for p in producer.products}:
                add(field, f"domain {sub.producer!r} has no product {sub.product_name!r}")
            else:
                tables = next(p for p in producer.products if p.name == sub.product_name).table_names
                for j, table in enumerate(sub.tables):
                    if table not in tables:
                        add(
                            f"consumes[{i}].tables[{j}]",
                            f"{sub.product} has no table {table!r} (its tables: {', '.join(tables)})",
                        )
    consumers.filter_limit_problems(
        [(display_path(path), domain) for path, domain in domains],
        by_name,
        lambda file, field, reason: problems.append(Problem(file, field, reason)),
    )
    return problems
