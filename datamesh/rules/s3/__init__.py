"""Rules on S3 buckets and their policies."""
