import yaml


def load_settings(path):
    with open(path) as handle:
        return yaml.load(handle, Loader=yaml.UnsafeLoader)  # expect: unsafe-deserialization
