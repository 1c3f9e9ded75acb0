"""Real adapters, the composition root and the production gate."""
