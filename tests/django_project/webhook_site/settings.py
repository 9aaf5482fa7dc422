"""Settings of the test project; see README.md beside manage.py for the PSR_* variables."""

import json
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEBUG = os.environ.get("PSR_DEBUG") == "1"
SECRET_KEY = "django-insecure-paystack-rs-test-project"  # Django's own key, not a Paystack one
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["paystack_rs.contrib.django", "receipts"]  # the first for its system checks
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",  # on, as in any project: the webhook view is exempt
]
ROOT_URLCONF = "webhook_site.urls"
WSGI_APPLICATION = "webhook_site.wsgi.application"
ASGI_APPLICATION = "webhook_site.asgi.application"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
USE_TZ = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"paystack_rs": {"handlers": ["stderr"], "level": "DEBUG", "propagate": False}},
}

globals().update(json.loads(os.environ.get("PSR_SETTINGS", "{}")))
