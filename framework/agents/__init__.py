"""Agent mode: model sessions, the reviewer agent, its tools, providers and prices."""
