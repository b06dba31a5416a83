import pickle


def decode_message(payload):
    return pickle.loads(payload)  # expect: unsafe-deserialization
