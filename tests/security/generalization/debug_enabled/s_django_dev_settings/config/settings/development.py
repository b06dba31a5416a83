# expect: none
from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["localhost"]
