"""Self-MOA: align a small chat model for safety and helpfulness with weak supervision only."""
