"""Data contracts in the Open Data Contract Standard (ODCS v3), one per data product.

A contract is the single source of a product's tables (one per schema object): columns and types, meaning,
classification, quality rules, freshness and owner.
"""

from datamesh.contracts.loading import Contract, ContractTable, load_contract

__all__ = ["Contract", "ContractTable", "load_contract"]
