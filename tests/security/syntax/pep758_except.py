"""PEP 758 (3.14): ``except`` and ``except*`` with several types and no parentheses."""

import pickle
import socket


def receive(conn: socket.socket):
    try:
        data = conn.recv(4096)
        return pickle.loads(data)  # expect: unsafe-deserialization
    except ValueError, TypeError:
        return None


def group():
    try:
        raise ExceptionGroup("x", [ValueError()])
    except* ValueError, TypeError:
        pass
