"""A local AWS for the mesh: a moto server that deploys our templates like CloudFormation would.

``python -m localaws demo`` starts (or reuses) it, bootstraps every account of the mesh,
deploys with the real CDK CLI and reads back what the mesh promised.
"""
