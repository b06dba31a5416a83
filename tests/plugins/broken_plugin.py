"""A plugin that fails to import: the others must still load."""

raise ImportError("this plugin is broken on purpose")
