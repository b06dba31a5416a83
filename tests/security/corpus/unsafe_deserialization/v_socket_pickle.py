"""A pickled message received on a socket."""
# features: source-socket
import pickle
import socket


def receive(host, port):
    connection = socket.create_connection((host, port))
    payload = connection.recv(65536)
    return pickle.loads(payload)  # expect: unsafe-deserialization
