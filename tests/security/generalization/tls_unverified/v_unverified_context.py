import ssl
import urllib.request


def download(url):
    return urllib.request.urlopen(url, context=ssl._create_unverified_context()).read()  # expect: tls-unverified
