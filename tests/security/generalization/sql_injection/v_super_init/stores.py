from .base import BaseStore


class TicketStore(BaseStore):
    def __init__(self):
        super().__init__("tickets.db")

    def by_owner(self, owner):
        return super().query("SELECT * FROM tickets WHERE owner = '%s'" % owner)
