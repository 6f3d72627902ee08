"""What constructs attach to the resources they make: cdk-nag acknowledgements with their reasons, and the mesh's tags."""
