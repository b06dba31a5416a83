import sqlite3


class OrderStore:
    def __init__(self):
        self.db = sqlite3.connect("orders.db")

    def by_customer(self, customer):
        return self.db.execute("SELECT * FROM orders WHERE customer = '%s'" % customer).fetchall()
