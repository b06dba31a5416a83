"""The filter is kept in an attribute of a small query object."""
# features: propagation-attributes, source-django-post
import ldap
from django.http import JsonResponse


class GroupQuery:
    def __init__(self, group):
        self.filter = "(&(objectClass=group)(cn=" + group + "))"

    def run(self, connection):
        return connection.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, self.filter)  # expect: ldap-injection


def groups(request):
    query = GroupQuery(request.POST["group"])
    return JsonResponse({"found": len(query.run(ldap.initialize("ldap://directory")))})
