"""``load_mesh`` reports every problem of a run, not only the first, in one line each.

README, "Validation": every problem is one line naming the file, the field and the reason,
and all are reported together. So a problem in one product, subscription or column must not
hide the next one, and a file the loader skips must not end the reading of the others. Each
case writes a small mesh into ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datamesh.config import ConfigError
from tests.support.small_mesh import consumer, contract, load, mesh_config, problems, producer

SALES, MARKETING, FINANCE = "222222222222", "333333333333", "444444444444"
UNKNOWN_LEVEL = "unknown level 'secret' (taxonomy: public, internal, confidential)"
SECRET_EMAIL = {"name": "email", "logicalType": "string", "classification": "secret"}


def with_products(domain: dict[str, Any], *products: dict[str, Any]) -> dict[str, Any]:
    return {**domain, "products": list(products)}


def contracted(name: str, doc: dict[str, Any] | str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "confidentiality": "internal", "contract": doc, **fields}


class TestNoProblemHidesTheNext:
    def test_a_column_without_classification_does_not_hide_the_next_column_s(self, tmp_path: Path) -> None:
        doc = contract({"name": "id", "logicalType": "string"}, SECRET_EMAIL)
        sales = with_products(producer("sales", SALES), contracted("orders", doc))
        assert problems(tmp_path, mesh_config(), sales) == [
            f"domains/sales.yaml: products[0].contract.schema[0].properties[1].classification: {UNKNOWN_LEVEL}"
        ]

    def test_a_contract_path_not_found_does_not_hide_the_next_product_s_problem(self, tmp_path: Path) -> None:
        sales = with_products(
            producer("sales", SALES),
            contracted("orders", "sales/missing.yaml"),
            contracted("returns", contract(SECRET_EMAIL, id="returns")),
        )
        assert problems(tmp_path, mesh_config(), sales) == [
            "domains/sales.yaml: products[0].contract: 'sales/missing.yaml': contract file not found",
            f"domains/sales.yaml: products[1].contract.schema[0].properties[0].classification: {UNKNOWN_LEVEL}",
        ]

    def test_a_contract_file_that_is_not_yaml_does_not_hide_the_next_product_s_problem(self, tmp_path: Path) -> None:
        sales = with_products(
            producer("sales", SALES),
            contracted("orders", "sales/orders.yaml"),
            contracted("returns", contract(SECRET_EMAIL, id="returns")),
        )
        # The flow sequence opened on line 2 is still open when line 3 (column 1) begins.
        text = "apiVersion: v3.1.0\nkind: [DataContract\n"
        assert problems(tmp_path, mesh_config(), sales, files={"domains/sales/orders.yaml": text}) == [
            "domains/sales/orders.yaml: (file): invalid YAML: line 3, column 1: did not find expected ',' or ']'",
            f"domains/sales.yaml: products[1].contract.schema[0].properties[0].classification: {UNKNOWN_LEVEL}",
        ]

    def test_a_subscription_to_an_unparsed_domain_does_not_hide_the_next_one_s_problem(self, tmp_path: Path) -> None:
        finance = {"name": "finance", "account": FINANCE, "products": []}  # no owner: the file does not parse
        found = problems(
            tmp_path,
            mesh_config(),
            producer("sales", SALES),
            finance,
            consumer("marketing", MARKETING, "finance.invoices", "sales.returns"),
        )
        assert found == [
            "domains/finance.yaml: owner: required field is missing",
            "domains/marketing.yaml: consumes[1].product: domain 'sales' has no product 'returns'",
        ]

    def test_an_error_in_yaml_names_its_line_and_column(self, tmp_path: Path) -> None:
        # Line 2 is "account: x: y": its second colon is the 11th character.
        found = problems(
            tmp_path,
            mesh_config(),
            producer("sales", SALES),
            files={"domains/marketing.yaml": "name: marketing\naccount: x: y\n"},
        )
        assert found == [
            "domains/marketing.yaml: (file): invalid YAML: line 2, column 11: "
            "mapping values are not allowed in this context"
        ]


class TestEveryDomainFileIsRead:
    def test_a_hidden_file_sorted_first_does_not_end_the_reading(self, tmp_path: Path) -> None:
        mesh = load(
            tmp_path,
            mesh_config(),
            producer("sales", SALES),
            consumer("marketing", MARKETING, "sales.orders"),
            files={"domains/.#sales.yaml": "not: [a domain"},
        )
        assert [d.name for d in mesh.domains] == ["marketing", "sales"]

    def test_a_product_without_contract_does_not_end_the_reading_of_the_domain_s_products(self, tmp_path: Path) -> None:
        sales = with_products(
            producer("sales", SALES),
            *producer("sales", SALES, "orders")["products"],
            contracted("returns", contract(id="returns")),
        )
        mesh = load(tmp_path, mesh_config(), sales)
        products = mesh.domains[0].products
        assert [p.name for p in products] == ["orders", "returns"]
        assert products[1].data_contract is not None and products[1].data_contract.id == "returns"

    def test_domains_come_in_order_of_their_names(self, tmp_path: Path) -> None:
        # The files sort as hr-ops.yaml, hr.yaml ("-" before "."); the names as hr, hr-ops.
        mesh = load(tmp_path, mesh_config(), producer("hr-ops", SALES), producer("hr", MARKETING))
        assert [d.name for d in mesh.domains] == ["hr", "hr-ops"]


class TestProductSchemaHasOneSource:
    """A product without a contract declares description and columns; with one, the contract gives them."""

    def test_columns_without_description_are_an_error(self, tmp_path: Path) -> None:
        sales = producer("sales", SALES)
        sales["products"][0]["description"] = ""
        assert problems(tmp_path, mesh_config(), sales) == [
            "domains/sales.yaml: products[0]: needs a contract, or a description and at least one column"
        ]

    def test_a_description_without_columns_is_an_error(self, tmp_path: Path) -> None:
        sales = producer("sales", SALES)
        sales["products"][0]["columns"] = []
        assert problems(tmp_path, mesh_config(), sales) == [
            "domains/sales.yaml: products[0]: needs a contract, or a description and at least one column"
        ]

    def test_the_domain_file_s_description_wins_over_the_contract_s(self, tmp_path: Path) -> None:
        doc = contract(description={"purpose": "Orders as the contract says"})
        sales = with_products(producer("sales", SALES), contracted("orders", doc, description="Orders, per sales"))
        assert load(tmp_path, mesh_config(), sales).domains[0].products[0].description == "Orders, per sales"

    def test_without_one_the_contract_s_purpose_is_the_description(self, tmp_path: Path) -> None:
        doc = contract(description={"purpose": "Orders as the contract says"})
        sales = with_products(producer("sales", SALES), contracted("orders", doc))
        assert load(tmp_path, mesh_config(), sales).domains[0].products[0].description == "Orders as the contract says"

    def test_without_any_description_the_contract_s_table_name_is_the_description(self, tmp_path: Path) -> None:
        sales = with_products(producer("sales", SALES), contracted("sales_orders", contract()))
        assert load(tmp_path, mesh_config(), sales).domains[0].products[0].description == "orders"

    def test_a_contract_s_only_object_is_the_table_named_after_the_product(self, tmp_path: Path) -> None:
        # docs/contracts.md: "a contract's only object is the table named after the product" and reads <product>/.
        sales = with_products(producer("sales", SALES), contracted("sales_orders", contract()))
        (only,) = load(tmp_path, mesh_config(), sales).domains[0].products[0].tables
        assert (only.name, only.folder) == ("sales_orders", "")

    def test_an_object_without_description_in_a_contract_of_several_takes_the_product_s(self, tmp_path: Path) -> None:
        doc = contract(description={"purpose": "Orders and lines"})
        doc["schema"] = [
            {
                "name": "orders",
                "description": "One row per order",
                "properties": [{"name": "id", "logicalType": "string"}],
            },
            {"name": "lines", "properties": [{"name": "id", "logicalType": "string"}]},
        ]
        sales = with_products(producer("sales", SALES), contracted("orders", doc))
        tables = load(tmp_path, mesh_config(), sales).domains[0].products[0].tables
        assert [(t.name, t.description, t.folder) for t in tables] == [
            ("orders", "One row per order", "orders/"),
            ("lines", "Orders and lines", "lines/"),
        ]


class TestSubscribedTables:
    """docs/contracts.md: a subscription names tables of the product's contract, each once."""

    @staticmethod
    def mesh(tmp_path: Path, tables: list[str]) -> list[str] | None:
        doc = contract()
        doc["schema"] = [
            {"name": n, "properties": [{"name": "id", "logicalType": "string"}]} for n in ("orders", "lines")
        ]
        sales = with_products(producer("sales", SALES), contracted("orders", doc, shared_with="all"))
        marketing = consumer("marketing", MARKETING)
        marketing["consumes"] = [{"product": "sales.orders", "tables": tables}]
        try:
            load(tmp_path, mesh_config(), sales, marketing)
        except ConfigError as error:
            return [str(p).replace(f"{tmp_path}/", "") for p in error.problems]
        return None

    def test_a_table_of_the_contract_loads(self, tmp_path: Path) -> None:
        assert self.mesh(tmp_path, ["lines"]) is None

    def test_a_share_reads_the_tables_it_names_in_contract_order_and_all_when_none(self, tmp_path: Path) -> None:
        doc = contract()
        pii = {"email": "orders", "phone": "returns"}  # a pii column in two of the three tables, email in both
        doc["schema"] = [
            {
                "name": n,
                "properties": [
                    {"name": "id", "logicalType": "string"},
                    *(
                        {"name": c, "logicalType": "string", "tags": ["pii"]}
                        for c, first in pii.items()
                        if n in (first, "lines")
                    ),
                ],
            }
            for n in ("orders", "lines", "returns")
        ]
        sales = with_products(
            producer("sales", SALES),
            contracted("orders", doc, shared_with=["marketing", "finance"], confidentiality="confidential"),
        )
        marketing, finance = consumer("marketing", MARKETING), consumer("finance", FINANCE, "sales.orders")
        marketing["consumes"] = [{"product": "sales.orders", "tables": ["returns", "orders"]}]
        mesh = load(tmp_path, mesh_config(), sales, marketing, finance)
        product = mesh.product("sales", "orders")
        read = {s.consumer: [t.name for t in product.tables_named(s.tables)] for s in mesh.shares()}
        assert read == {"marketing": ["orders", "returns"], "finance": ["orders", "lines", "returns"]}
        assert [c.name for c in product.columns] == ["id", "email"]  # the first table's, as the product's own
        assert product.pii_columns == ["email", "phone"]  # in table order, each once
        assert product.description == "orders"  # no description anywhere: the first table's name
        assert sorted(map(str, mesh.shares())) == [  # the default permissions: SELECT, DESCRIBE (README.md)
            "finance <- sales.orders (SELECT, DESCRIBE): granted",
            "marketing <- sales.orders tables returns, orders (SELECT, DESCRIBE): granted",
        ]

    def test_a_table_the_contract_lacks_is_refused(self, tmp_path: Path) -> None:
        assert self.mesh(tmp_path, ["lines", "returns"]) == [
            "domains/marketing.yaml: consumes[0].tables[1]: sales.orders has no table 'returns' (its tables: orders, lines)"
        ]

    def test_a_table_named_twice_is_refused(self, tmp_path: Path) -> None:
        assert self.mesh(tmp_path, ["lines", "lines"]) == [
            "domains/marketing.yaml: consumes[0].tables: tables must be unique"
        ]
