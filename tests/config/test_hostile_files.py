"""Files a new user, an editor or an attacker may leave in the mesh: each is refused with one line,
quickly, without reading what it must not read, or (editor leftovers) ignored.

Cases: 8 encoding and YAML syntax, 1 region, 6 file names, 7 paths, 4 resource bounds, 4 contract
reuse, 1 unquoted date, 1 one line per problem.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
import yaml

from datamesh.config import load_mesh
from datamesh.config.yaml_input import MAX_FILE_BYTES
from datamesh.policies.parameter_rules import parameter_problems

SECRET = "password: hunter2-do-not-print"
CONTRACT = "domains/sales/contracts/orders.yaml"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "data", "expected"),
    [
        (
            "domains/sales.yaml",
            b"name: sales\naccount: '222222222222'\nowner: \xff\n",
            "domains/sales.yaml: (file): refused: not UTF-8 text (byte 0xff on line 3)",
        ),
        (
            CONTRACT,
            b"apiVersion: v3.1.0\nkind: \xc3\x28\n",
            "domains/sales/contracts/orders.yaml: (file): refused: not UTF-8 text (byte 0xc3 on line 2)",
        ),
        ("mesh.yaml", b"\xfe\xff\x00n\x00a", "mesh.yaml: (file): refused: not UTF-8 text (byte 0xfe on line 1)"),
    ],
)
def test_bytes_that_are_not_utf8_name_the_file(mesh_dir, problems, file, data, expected):
    (mesh_dir / file).write_bytes(data)
    assert expected in problems(mesh_dir)


def test_a_byte_order_mark_is_not_an_error(mesh_dir):
    path = mesh_dir / "domains/sales.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    load_mesh(mesh_dir / "mesh.yaml", rules=parameter_problems)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "domains/sales.yaml",
            'account: "222222222222"\n',
            'account: "222222222222"\naccount: "333333333333"\n',
            "domains/sales.yaml: (file): invalid YAML: line 5, column 1: duplicate key 'account'",
        ),
        (
            CONTRACT,
            "kind: DataContract\n",
            "kind: DataContract\nkind: DataContract\n",
            "domains/sales/contracts/orders.yaml: (file): invalid YAML: line 4, column 1: duplicate key 'kind'",
        ),
        (
            "mesh.yaml",
            "region: eu-west-1",
            "region: eu-west-1\nregion: eu-west-2",
            "mesh.yaml: (file): invalid YAML: line 5, column 1: duplicate key 'region'",
        ),
        (
            "mesh.yaml",
            "region: eu-west-1",
            "region: eu-west-9",
            "mesh.yaml: region: 'eu-west-9' is not an AWS region (botocore's endpoint data lists none by that name)",
        ),
    ],
)
def test_duplicate_keys_and_unknown_regions(mesh_dir, problems, file, old, new, expected):
    replace_in(mesh_dir / file, old, new)
    assert expected in problems(mesh_dir)


def test_a_long_duplicate_key_is_named_by_its_first_80_characters(mesh_dir, problems):
    key = "k" * 79 + "LONG" * 10
    with (mesh_dir / "mesh.yaml").open("a") as mesh:
        mesh.write(f"{key}: 1\n{key}: 2\n")
    (found,) = [p for p in problems(mesh_dir) if "duplicate key" in p]
    assert found.endswith(f"duplicate key '{key[:80]}'")


def test_a_control_character_is_one_line_without_the_reader_s_position_text(mesh_dir, problems):
    with (mesh_dir / "mesh.yaml").open("a") as mesh:
        mesh.write("note: ring\x07\n")
    assert "mesh.yaml: (file): invalid YAML: unacceptable character #x0007: control characters are not allowed" in (
        problems(mesh_dir)
    )


def test_a_key_that_is_a_list_is_one_line(mesh_dir, problems):
    with (mesh_dir / "mesh.yaml").open("a") as mesh:
        mesh.write("? [a, b]\n: 1\n")
    (found,) = [p for p in problems(mesh_dir) if p.startswith("mesh.yaml")]
    assert found.startswith("mesh.yaml: (file): invalid YAML: ")
    assert "unhashable key" in found


def test_a_duplicate_after_a_merge_key_is_still_a_duplicate(mesh_dir, problems):
    second_b = len((mesh_dir / "mesh.yaml").read_text().splitlines()) + 5  # the fifth line written below
    with (mesh_dir / "mesh.yaml").open("a") as mesh:
        mesh.write("base: &base {a: 1}\nextra:\n  <<: *base\n  b: 1\n  b: 2\n")
    assert f"mesh.yaml: (file): invalid YAML: line {second_b}, column 3: duplicate key 'b'" in problems(mesh_dir)


def test_merge_keys_are_not_duplicates(mesh_dir):
    replace_in(mesh_dir / "domains/sales.yaml", "owner:\n", "owner: &o\n")
    text = (mesh_dir / "domains/sales.yaml").read_text()
    assert "owner: &o" in text
    load_mesh(mesh_dir / "mesh.yaml", rules=parameter_problems)


@pytest.mark.parametrize("name", ["hr.yml", "hr.YAML"])
def test_other_spellings_of_the_extension_are_refused(mesh_dir, problems, name):
    (mesh_dir / "domains" / name).write_text((mesh_dir / "domains/sales.yaml").read_text())
    assert problems(mesh_dir) == [
        f"domains/{name}: (file): domain files end in .yaml: rename it to hr.yaml "
        "(or move it out of the domains folder)"
    ]


@pytest.mark.parametrize("name", [".#sales.yaml", "sales.yaml~", ".sales.yaml.swp", "#sales.yaml#"])
def test_editor_leftovers_are_ignored(mesh_dir, name):
    (mesh_dir / "domains" / name).write_bytes(b"\xff not yaml: [")
    assert [d.name for d in load_mesh(mesh_dir / "mesh.yaml", rules=parameter_problems).domains] == [
        "analytics",
        "finance",
        "marketing",
        "sales",
    ]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n")
    return secret


@pytest.fixture
def opened() -> list[str]:
    """Files opened while the test runs (Python's audit events; a hook cannot be removed, so it is switched)."""
    seen: list[str] = []
    state = {"on": True}
    sys.addaudithook(lambda event, args: seen.append(str(args[0])) if event == "open" and state["on"] else None)
    yield seen
    state["on"] = False


def test_an_absolute_contract_path_is_refused_unopened(mesh_dir, problems, outside, opened):
    replace_in(mesh_dir / "domains/sales.yaml", "contract: sales/contracts/orders.yaml", f"contract: {outside}")
    found = problems(mesh_dir)
    assert found == [
        f"domains/sales.yaml: products[0].contract: '{outside}' is absolute: give a path inside the "
        "domains folder, relative to it"
    ]
    assert str(outside) not in opened
    assert any(path.endswith("domains/sales.yaml") for path in opened)  # the hook sees what is opened


@pytest.mark.parametrize("reference", ["../../outside/secret.yaml", "sales/../../../outside/secret.yaml"])
def test_a_contract_path_leaving_the_domains_folder_is_refused_unopened(mesh_dir, problems, outside, opened, reference):
    (mesh_dir.parent / "outside").mkdir(exist_ok=True)
    (mesh_dir.parent / "outside" / "secret.yaml").write_text(SECRET)
    replace_in(mesh_dir / "domains/sales.yaml", "contract: sales/contracts/orders.yaml", f"contract: {reference}")
    opened.clear()
    assert problems(mesh_dir) == [
        f"domains/sales.yaml: products[0].contract: '{reference}' leaves the domains folder: contracts live inside it"
    ]
    assert not any("secret.yaml" in path for path in opened)


def test_a_symlink_out_of_the_domains_folder_is_refused_and_its_target_not_echoed(mesh_dir, problems, outside, opened):
    (mesh_dir / CONTRACT).unlink()
    (mesh_dir / CONTRACT).symlink_to(outside)
    found = problems(mesh_dir)
    assert found == [
        "domains/sales.yaml: products[0].contract: 'sales/contracts/orders.yaml' is a symbolic link "
        "to a file outside the domains folder"
    ]
    assert str(outside) not in opened and "hunter2" not in "".join(found) and str(outside) not in "".join(found)


def test_a_domain_file_symlinked_from_outside_is_refused(mesh_dir, problems, outside):
    (mesh_dir / "domains/hr.yaml").symlink_to(outside)
    assert problems(mesh_dir) == [
        "domains/hr.yaml: (file): a symbolic link to a file outside the domains folder: domain files live inside it"
    ]


def test_a_dangling_domain_file_symlink_is_named(mesh_dir, problems):
    (mesh_dir / "domains/hr.yaml").symlink_to(mesh_dir / "domains/nothing.yaml")
    assert problems(mesh_dir) == ["domains/hr.yaml: (file): a symbolic link to a file that does not exist"]


def test_a_symlink_inside_the_domains_folder_is_followed(mesh_dir):
    moved = mesh_dir / "domains/sales/contracts/orders-v1.yaml"
    (mesh_dir / CONTRACT).rename(moved)
    (mesh_dir / CONTRACT).symlink_to(moved)
    load_mesh(mesh_dir / "mesh.yaml", rules=parameter_problems)


def test_one_contract_file_for_two_products_is_refused(mesh_dir, problems):
    replace_in(
        mesh_dir / "domains/sales.yaml",
        "contract: sales/contracts/customers.yaml",
        "contract: sales/contracts/orders.yaml",
    )
    assert problems(mesh_dir) == [
        "domains/sales.yaml: products[1].contract: 'sales/contracts/orders.yaml' is already "
        "the contract of sales.orders: one contract per product"
    ]


@pytest.mark.parametrize("spelling", [str, str.upper], ids=["same", "upper-case"])
def test_two_contracts_with_one_id_are_refused(mesh_dir, problems, spelling):
    """Whatever the case of its letters, a UUID is one UUID (RFC 9562)."""
    orders = (mesh_dir / CONTRACT).read_text()
    contract_id = spelling(next(line for line in orders.splitlines() if line.startswith("id: ")).removeprefix("id: "))
    customers = mesh_dir / "domains/sales/contracts/customers.yaml"
    replace_in(customers, "id: 7d3f6a1e-2c4b-4d8e-9f10-0a1b2c3d4e02", f"id: {contract_id}")
    assert problems(mesh_dir) == [
        f"domains/sales/contracts/customers.yaml: id: '{contract_id}' is also the id of "
        f"the contract of sales.orders ({CONTRACT}): each product's contract has an id of "
        "its own"
    ]


def test_an_inline_contract_with_the_id_of_a_contract_file_names_both(mesh_dir, problems):
    orders = mesh_dir / CONTRACT
    contract_id = next(line for line in orders.read_text().splitlines() if line.startswith("id: ")).removeprefix("id: ")
    inline = yaml.safe_load((mesh_dir / "domains/sales/contracts/customers.yaml").read_text())
    inline["id"] = contract_id
    domain = yaml.safe_load((mesh_dir / "domains/finance.yaml").read_text())
    product = next(p for p in domain["products"] if "contract" in p)
    product["contract"] = inline
    (mesh_dir / "domains/finance.yaml").write_text(yaml.safe_dump(domain, sort_keys=False))
    index = domain["products"].index(product)  # finance's file is read before sales's
    assert problems(mesh_dir) == [
        f"{CONTRACT}: id: '{contract_id}' is also the id of the contract of finance.invoices "
        f"(domains/finance.yaml products[{index}].contract): each product's contract has an "
        "id of its own"
    ]


def bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (bomb(9), "refused: line 6: expands to more than 200000 values (aliases referring to aliases?)"),
        ("a: " + "[" * 3000 + "]" * 3000 + "\n", "refused: line 1: nested more than 64 levels deep"),
        ("a: &a [x]\nb: [" + ", ".join(["*a"] * 1001) + "]\n", "refused: line 2: more than 1000 aliases"),
        ("a: " + "x" * MAX_FILE_BYTES + "\n", "refused: larger than 1024 KiB"),
    ],
)
def test_resource_bounds(mesh_dir, problems, text, reason):
    (mesh_dir / CONTRACT).write_text(text)
    started = time.perf_counter()
    assert problems(mesh_dir) == [f"{CONTRACT}: (file): {reason}"]
    assert time.perf_counter() - started < 5


def test_unquoted_dates_in_a_contract_load(mesh_dir):
    replace_in(mesh_dir / CONTRACT, "kind: DataContract\n", "kind: DataContract\ncontractCreatedTs: 2022-10-03\n")
    load_mesh(mesh_dir / "mesh.yaml", rules=parameter_problems)


def test_every_problem_is_one_line_and_nothing_is_written(mesh_dir, problems):
    (mesh_dir / "domains/sales.yaml").write_bytes(b"\x00\xff")
    before = sorted((p, p.stat().st_mtime_ns) for p in mesh_dir.rglob("*"))
    assert all("\n" not in line for line in problems(mesh_dir))
    assert sorted((p, p.stat().st_mtime_ns) for p in mesh_dir.rglob("*")) == before
