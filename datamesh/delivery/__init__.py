"""Delivery of the mesh: the checks every change passes, the waves the pipeline deploys in shards, and the
CDK bootstrap template every account is bootstrapped with."""
