"""ldap3 search with keyword arguments."""
# features: source-fastapi-parameter, propagation-fstring
from fastapi import FastAPI
from ldap3 import Connection

app = FastAPI()


@app.get("/people")
def people(name: str):
    connection = Connection("ldap://directory", auto_bind=True)
    connection.search(search_base="dc=example,dc=com", search_filter=f"(cn={name})")  # expect: ldap-injection
    return {"found": len(connection.entries)}
