# expect: none
from django.http import FileResponse


def report(request, year):
    return FileResponse(open(f"/srv/reports/{year}.csv", "rb"))
