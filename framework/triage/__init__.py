"""What a finished review reports: diff scopes, baselines, inline suppressions."""
