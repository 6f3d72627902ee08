"""Data contracts in the Open Data Contract Standard (ODCS v3), one per data product.

A contract is the single source of a product's table: columns and types, meaning,
classification, quality rules, freshness and owner.
"""

from datamesh.contracts.loading import Contract, load_contract

__all__ = ["Contract", "load_contract"]
