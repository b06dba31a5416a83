# expect: none
import ldap
from ldap.filter import escape_filter_chars
from django.http import JsonResponse


def lookup(request):
    conn = ldap.initialize("ldap://directory.example.com")
    query = "(cn=%s)" % escape_filter_chars(request.GET["name"])
    return JsonResponse({"count": len(conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, query))})
