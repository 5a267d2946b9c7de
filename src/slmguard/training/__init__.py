"""Training: weak-supervision data for the guardian, and the detector and guardian trainers (never imported on the serving path)."""
