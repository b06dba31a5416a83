import ldap


def connect():
    conn = ldap.initialize("ldap://directory.example.com")
    conn.simple_bind_s("cn=reader,dc=example,dc=com", "")
    return conn


def find_user(name):
    conn = connect()
    return conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(cn=" + name + ")")  # expect: ldap-injection
