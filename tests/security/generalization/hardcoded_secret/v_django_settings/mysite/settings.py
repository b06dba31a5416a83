from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "django-insecure-8f#x2k!r0q@v^m3z9w$e1t7y5u4i6o"  # expect: hardcoded-secret
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "shop"]
ROOT_URLCONF = "mysite.urls"
