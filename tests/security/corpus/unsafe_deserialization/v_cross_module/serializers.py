import pickle


def decode(blob):
    return pickle.loads(blob)  # expect: unsafe-deserialization
