# expect: none
import requests


def fetch_status(url):
    return requests.get(url, verify="/etc/ssl/certs/internal-ca.pem", timeout=5).status_code
