"""Parameter files: typed models, loading and cross-file validation."""

from datamesh.config.errors import ConfigError, Problem
from datamesh.config.loader import load_mesh
from datamesh.config.mesh import Mesh, Share, ShareState
from datamesh.config.models import Column, DomainConfig, MeshConfig, Permission, Product, StorageFormat, Subscription

__all__ = [
    "Column",
    "ConfigError",
    "DomainConfig",
    "Mesh",
    "MeshConfig",
    "Permission",
    "Problem",
    "Product",
    "Share",
    "ShareState",
    "StorageFormat",
    "Subscription",
    "load_mesh",
]
