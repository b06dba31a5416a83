ROOT_URLCONF = "proj.urls"
MIDDLEWARE = [  # expect: csrf-disabled
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
