"""Proving a deployed mesh works: sample data written from the contracts, and the conformance run.

``sample_data`` plans what each producer writes (rows that keep its tables' contracts, in
partitions within their projection ranges, and one partition that breaks a rule on purpose);
``writers`` encodes rows in a product's format with a real writer (pyarrow, fastavro);
``run`` writes them as the producers and checks each share as its consumer's analyst would
query it; ``report`` is the run's report, whose JSON Schema is in ``schemas/``.
"""
