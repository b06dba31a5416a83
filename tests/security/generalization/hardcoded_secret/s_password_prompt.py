# expect: none
import getpass

import pymysql


def connect(host, user):
    password = getpass.getpass("Password: ")
    return pymysql.connect(host=host, user=user, password=password, database="app")
