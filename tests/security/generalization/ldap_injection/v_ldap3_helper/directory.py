from ldap3 import ALL, Connection, Server


def connect():
    server = Server("ldap://ldap.example.com", get_info=ALL)
    return Connection(server, "cn=reader,dc=example,dc=com", "secret-from-vault", auto_bind=True)
