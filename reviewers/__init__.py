"""Built-in reviewers. Every public module here is a plugin: drop one in and declare it in reviewers.yaml."""
