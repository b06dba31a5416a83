"""Twin of v_elementtree: defusedxml's ElementTree."""
# expect: none
# features: sanitizer-defusedxml
import socket

import defusedxml.ElementTree as ET


def handle(connection: socket.socket):
    envelope = ET.fromstring(connection.recv(65536))
    return envelope.tag
