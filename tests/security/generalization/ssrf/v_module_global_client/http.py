import requests

session = requests.Session()
session.headers["User-Agent"] = "shop/1.0"
