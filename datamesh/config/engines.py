"""The engines a consumer's principal reads with, and which of them enforce Lake Formation's filtering.

Lake Formation vends credentials and leaves column, row and cell filtering to the engine that reads
("Working with other AWS services", AWS Lake Formation Developer Guide: its table of the permission
types each service supports). A grant that withholds columns or rows is only as good as the engine that
reads it, so the mesh refuses one to a principal whose engine does not filter.
"""

from __future__ import annotations

from enum import Enum


class Engine(str, Enum):
    """What a principal reads a subscription with."""

    ATHENA = "athena"
    ATHENA_SPARK = "athena-spark"
    REDSHIFT_SPECTRUM = "redshift-spectrum"
    EMR = "emr"
    GLUE = "glue"


EMR_FILTERING_FROM = (6, 15)
"""Amazon EMR Management Guide, "Fine-grained access with Lake Formation": releases 6.15.0 and higher."""
GLUE_FILTERING_FROM = (5, 0)
"""AWS Glue 5.0 and later enforce column, row and cell filtering for Spark DataFrames on Hive and Iceberg
tables (AWS Glue Developer Guide, "Using AWS Glue with AWS Lake Formation for fine-grained access control")."""


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def filtering_gap(engine: Engine, version: str | None) -> str | None:
    """Why ``engine`` (at ``version``) does not enforce Lake Formation's column and row filtering; None when it does."""
    if engine is Engine.ATHENA_SPARK:
        return "Athena for Apache Spark supports no Lake Formation fine-grained permissions"
    if engine is Engine.EMR and version is not None and _version(version)[:2] < EMR_FILTERING_FROM:
        return f"EMR {version} does not enforce Lake Formation column or row filtering (6.15.0 and later do)"
    if engine is Engine.GLUE and (version is None or _version(version)[:2] < GLUE_FILTERING_FROM):
        return (
            f"Glue {version or '(no version)'} does not enforce Lake Formation column or row filtering "
            "(5.0 and later do, for Spark DataFrames)"
        )
    return None
