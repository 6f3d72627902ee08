"""One class per kind of stack, in deploy-wave order."""

from datamesh.stacks.access import AccessStack
from datamesh.stacks.catalog import CatalogStack
from datamesh.stacks.governance import GovernanceStack
from datamesh.stacks.storage import StorageStack

__all__ = ["AccessStack", "CatalogStack", "GovernanceStack", "StorageStack"]
