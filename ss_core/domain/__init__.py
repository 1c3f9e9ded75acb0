"""Domain values and aggregates: jobs, runs, datasets, drafts, artifacts, task codes."""
