"""A run: its request, workspace, the durable orchestrator, reviewer handler, local runner, cache, finish."""
