"""Deploying the mesh: the waves and AWS RAM invitations of a deploy, and the whole deploy to the local AWS."""
