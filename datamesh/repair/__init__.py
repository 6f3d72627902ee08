"""Repair of drift: what the blueprint says, re-applied through the APIs the deploy uses, for the findings named."""
