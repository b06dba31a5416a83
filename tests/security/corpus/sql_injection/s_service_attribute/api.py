from flask import Flask, request

from .store import OrderStore

app = Flask(__name__)


class OrderService:
    def __init__(self):
        self.store = OrderStore()

    def orders_of(self, customer):
        return self.store.by_customer(int(customer))


service = OrderService()


@app.route("/orders")
def orders():
    return {"orders": service.orders_of(request.args["customer"])}
