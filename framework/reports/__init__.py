"""Reports of a finished run: Markdown, SARIF, HTML, JSON."""
