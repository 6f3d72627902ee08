"""``meshctl why``: the chain a principal's query of a product walks, from the files to the data, link by link."""
