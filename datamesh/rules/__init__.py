"""The mesh's rules on synthesized resources, one rule per module in a folder per service (as cdk-nag groups its
rules), and the pack of them run by :class:`~datamesh.rules.engine.plugin.MeshPolicyPlugin`."""

from __future__ import annotations

from datamesh.rules.athena.query_results_encryption import QueryResultsEncryption
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext, StackTemplate
from datamesh.rules.general.required_tags import RequiredTags
from datamesh.rules.general.retain_data import RetainData
from datamesh.rules.glue.pii_columns_tagged import PiiColumnsTagged
from datamesh.rules.iam.least_privilege import LeastPrivilege
from datamesh.rules.kms.key_rotation import KeyRotation
from datamesh.rules.lakeformation.filtering_engine import FilteringEngine
from datamesh.rules.lakeformation.pii_withheld import PiiWithheld
from datamesh.rules.s3.bucket_access_logs import BucketAccessLogs
from datamesh.rules.s3.bucket_encryption import BucketEncryption
from datamesh.rules.s3.bucket_public_access import BucketPublicAccess
from datamesh.rules.s3.bucket_tls import BucketTls
from datamesh.rules.s3.bucket_versioning import BucketVersioning
from datamesh.rules.s3.data_residency import DataResidency

RULES: tuple[ResourceRule, ...] = (
    BucketEncryption(),
    BucketVersioning(),
    BucketTls(),
    BucketPublicAccess(),
    BucketAccessLogs(),
    KeyRotation(),
    QueryResultsEncryption(),
    RequiredTags(),
    DataResidency(),
    LeastPrivilege(),
    PiiColumnsTagged(),
    PiiWithheld(),
    FilteringEngine(),
    RetainData(),
)

__all__ = ["RULES", "Resource", "ResourceRule", "RuleContext", "StackTemplate"]
