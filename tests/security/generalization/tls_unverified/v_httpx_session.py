import httpx


class ApiClient:
    def __init__(self, base_url):
        self.http = httpx.Client(base_url=base_url, verify=False)  # expect: tls-unverified
