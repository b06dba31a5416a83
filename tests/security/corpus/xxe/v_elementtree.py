"""ElementTree parses a SOAP body from a socket."""
# features: source-socket
import socket
import xml.etree.ElementTree as ET


def handle(connection: socket.socket):
    envelope = ET.fromstring(connection.recv(65536))  # expect: xxe
    return envelope.tag
