# expect: none
import ssl
import urllib.request


def download(url):
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return urllib.request.urlopen(url, context=context).read()
