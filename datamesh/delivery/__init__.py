"""Delivery of the mesh: the checks every change passes, and the waves the pipeline deploys in shards."""
