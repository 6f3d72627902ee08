"""meshctl graph: Mermaid, dot and a self-contained HTML page of who consumes what."""

from __future__ import annotations

import re


def _deny_customers(mesh_dir, meshctl):
    assert meshctl("deny", "sales.customers", "marketing", "--reason", "<no consent>").exit_code == 0


def test_mermaid_draws_domains_products_and_share_states(mesh_dir, meshctl):
    _deny_customers(mesh_dir, meshctl)
    result = meshctl("graph")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "flowchart LR"
    assert '  subgraph d_sales["sales"]' in lines
    assert '    p_sales_customers[("customers")]' in lines
    edges = [line.strip() for line in lines if "|" in line]
    assert edges == [
        "p_sales_orders -->|granted| c_finance",
        "p_sales_customers --x|denied| c_marketing",
        "p_sales_orders -->|granted| c_marketing",
    ]
    assert "  linkStyle 1 stroke:#c62828" in lines


def test_dot_has_a_cluster_per_domain_and_styled_edges(mesh_dir, meshctl):
    meshctl("subscribe", "marketing", "finance.invoices")
    result = meshctl("graph", "--format", "dot")
    assert result.exit_code == 0
    assert result.stdout.startswith("digraph mesh {")
    assert "subgraph cluster_finance {" in result.stdout
    assert '"finance.invoices" -> "marketing" [label="pending", color="#ef6c00", style=dashed];' in result.stdout


def test_html_is_one_self_contained_page(mesh_dir, meshctl):
    _deny_customers(mesh_dir, meshctl)
    result = meshctl("graph", "--format", "html", "--out", "mesh.html")
    assert result.exit_code == 0
    page = (mesh_dir / "mesh.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script|https?://(?!www\.w3\.org/2000/svg)", page)
    assert page.count("<path ") == 3
    assert "<td>marketing</td><td>sales.customers</td><td>SELECT, DESCRIBE</td>" in page
    assert 'style="color:#c62828">denied</td><td>sales-data@example.com</td>' in page
    assert "<td>&lt;no consent&gt;</td>" in page and "<no consent>" not in page


def test_an_unknown_format_is_a_usage_error(mesh_dir, meshctl):
    assert meshctl("graph", "--format", "png").exit_code == 2
