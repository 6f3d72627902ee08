"""Proving a deployed mesh works: sample data written from the contracts, and the conformance run.

``sample_data`` plans what each producer writes (rows that keep its tables' contracts, in
partitions within their projection ranges, and one partition that breaks a rule on purpose);
``values`` draws the values of a column type or a pattern; ``writers`` encodes rows in a
product's format with a real writer (pyarrow, fastavro); ``principals`` assumes the mesh's
producer and analyst roles; ``upload`` writes and deletes the files as the producers; ``run``
checks each share as its consumer's analyst would query it. The run's report is
:mod:`datamesh.config.conformance_report`, whose JSON Schema is in ``schemas/``.
"""
