"""Policies on synthesized resources, one rule per module, run by :class:`~datamesh.policies.plugin.MeshPolicyPlugin`."""

from __future__ import annotations

from datamesh.policies.resource_rules.bucket_access_logs import BucketAccessLogs
from datamesh.policies.resource_rules.bucket_encryption import BucketEncryption
from datamesh.policies.resource_rules.bucket_public_access import BucketPublicAccess
from datamesh.policies.resource_rules.bucket_tls import BucketTls
from datamesh.policies.resource_rules.bucket_versioning import BucketVersioning
from datamesh.policies.resource_rules.data_residency import DataResidency
from datamesh.policies.resource_rules.filtering_engine import FilteringEngine
from datamesh.policies.resource_rules.key_rotation import KeyRotation
from datamesh.policies.resource_rules.least_privilege import LeastPrivilege
from datamesh.policies.resource_rules.pii_columns_tagged import PiiColumnsTagged
from datamesh.policies.resource_rules.pii_withheld import PiiWithheld
from datamesh.policies.resource_rules.query_results_encryption import QueryResultsEncryption
from datamesh.policies.resource_rules.required_tags import RequiredTags
from datamesh.policies.resource_rules.retain_data import RetainData
from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext, StackTemplate

RULES: tuple[ResourceRule, ...] = (
    BucketEncryption(), BucketVersioning(), BucketTls(), BucketPublicAccess(), BucketAccessLogs(),
    KeyRotation(), QueryResultsEncryption(), RequiredTags(), DataResidency(), LeastPrivilege(),
    PiiColumnsTagged(), PiiWithheld(), FilteringEngine(), RetainData(),
)

__all__ = ["RULES", "Resource", "ResourceRule", "RuleContext", "StackTemplate"]
