"""Twin of v_attribute_filter: a guard that returns early unless the group name is alphanumeric."""
# expect: none
# features: precision-early-return, sanitizer-validator
import ldap
from django.http import HttpResponseBadRequest, JsonResponse


class GroupQuery:
    def __init__(self, group):
        self.filter = "(&(objectClass=group)(cn=" + group + "))"

    def run(self, connection):
        return connection.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, self.filter)


def groups(request):
    group = request.POST["group"]
    if not group.isalnum():
        return HttpResponseBadRequest()
    query = GroupQuery(group)
    return JsonResponse({"found": len(query.run(ldap.initialize("ldap://directory")))})
