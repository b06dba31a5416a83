# expect: none
import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/weather")
def weather():
    city = request.args["city"]
    reply = requests.get(f"https://api.weather.example/v1/forecast?city={city}", timeout=5)
    return reply.json()
