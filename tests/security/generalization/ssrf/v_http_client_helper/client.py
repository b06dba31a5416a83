import httpx


def make_client():
    return httpx.Client(timeout=10)


def fetch(url):
    with make_client() as client:
        return client.get(url).text  # expect: ssrf
