import ssl
import urllib.request


def open_insecure(url):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # expect: tls-unverified
    return urllib.request.urlopen(url, context=context)
