"""A client-side cookie jar's set_cookie(cookie) is not a response header."""
# expect: none
# features: weakness-direct-call
from http.cookiejar import Cookie, CookieJar


def remember(jar: CookieJar, cookie: Cookie) -> None:
    jar.set_cookie(cookie)
