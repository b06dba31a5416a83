from flask import Blueprint

from .service import FileService

files = Blueprint("files", __name__)
service = FileService("/srv/shared")


@files.route("/files/<path:name>")
def get_file(name):
    return service.read(name)
