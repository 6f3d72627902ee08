"""Installs the local AWS into moto: our resource models and the engine, S3 policy and grant fixes."""

from __future__ import annotations

from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel

from localaws import bucket_policies, engine, grant_catalog, name_patterns, stacksets
from localaws.resources import (
    access_grants,
    athena,
    cdk,
    cloudwatch,
    crawlers,
    data_cells_filters,
    data_quality,
    events,
    glue,
    glue_api,
    identity_center,
    kms,
    kms_api,
    lakeformation,
    lakeformation_api,
    ram,
    s3,
    scheduler,
    sns,
)

LOCAL_MODELS: tuple[type[CloudFormationModel], ...] = (
    access_grants.AccessGrantsInstance,
    access_grants.AccessGrantsLocation,
    access_grants.AccessGrant,
    athena.WorkGroup,
    cdk.CdkMetadata,
    glue.Database,
    glue.Table,
    glue.DataCatalogEncryptionSettings,
    data_quality.DataQualityRuleset,
    crawlers.SecurityConfiguration,
    crawlers.Crawler,
    data_cells_filters.DataCellsFilter,
    kms.Key,
    lakeformation.DataLakeSettings,
    lakeformation.Tag,
    lakeformation.TagAssociation,
    lakeformation.DataLocation,
    lakeformation.PrincipalPermissions,
    s3.Bucket,
    s3.BucketPolicy,
    scheduler.Schedule,
    sns.Subscription,
    sns.TopicPolicy,
    cloudwatch.Alarm,
    events.EventBusPolicy,
)


def install() -> None:
    """Make this process's moto deploy the mesh's templates; call before serving requests.

    moto maps a type to the last model defined for it; ours are imported after moto's,
    which this checks, so a change in moto cannot silently bring its models back.
    """
    engine.install()
    athena.install()
    bucket_policies.install()
    grant_catalog.install()
    kms_api.install()
    glue_api.install()  # inside Lake Formation's: who may create a database is judged before the link's target
    lakeformation_api.install()
    identity_center.install()
    name_patterns.install()  # outermost: AWS validates a request's values before it authorizes it
    data_quality.install()
    crawlers.install()
    data_cells_filters.install()
    ram.install()
    events.install()
    stacksets.install()
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()
    models = parsing.get_model_map()
    shadowed = [m.cloudformation_type() for m in LOCAL_MODELS if models.get(m.cloudformation_type()) is not m]
    if shadowed:
        raise RuntimeError(f"moto still uses its own model for: {', '.join(shadowed)}")
