"""The mesh's files as git has them at a revision, read in one git process."""
