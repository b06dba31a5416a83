SECRET_KEY = None
DEBUG = True  # expect: debug-enabled
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "config.urls"
INSTALLED_APPS = ["django.contrib.auth"]
