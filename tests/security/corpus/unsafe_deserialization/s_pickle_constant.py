"""Twin of v_socket_pickle: pickling data the program built itself is not a finding."""
# expect: none
# features: precision-constant-data
import pickle

DEFAULTS = pickle.dumps({"retries": 3, "timeout": 10})


def defaults():
    return pickle.loads(DEFAULTS)
