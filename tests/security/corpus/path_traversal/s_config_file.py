"""A path read from the program's own configuration file is not a traversal (file contents are ignored)."""
# expect: none
# features: source-file
import json


def load_theme(config_path):
    with open(config_path) as handle:
        settings = json.load(handle)
    with open(settings["theme_file"]) as theme:
        return theme.read()
