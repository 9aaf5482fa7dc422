"""A small shop that takes Paystack payments: only what the webhook needs, the rest as Django's
startproject writes it."""

import os
from pathlib import Path

from paystack_rs.sandbox import DEFAULT_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-example-only")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "paystack_rs.contrib.django",  # optional: `manage.py check` then checks the webhook settings
    "payments",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "shop.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SHOP_DB", BASE_DIR / "db.sqlite3"),
    }
}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Paystack -------------------------------------------------------------------------------------
# The key (or keys: ["sk_test_...", "sk_live_..."]) the webhook signatures are checked against.
# Against the sandbox, its default key.
PAYSTACK_SECRET_KEY = os.environ.get("PAYSTACK_SECRET_KEY", DEFAULT_SECRET_KEY)
# With DEBUG off the view accepts only Paystack's addresses. Behind your own proxy, name it so
# that X-Forwarded-For is read from it (and from nothing else):
# PAYSTACK_WEBHOOK_TRUSTED_PROXIES = ["10.0.0.0/8"]
# Retried deliveries are recognised through this cache: in production use one that all your
# processes share (Redis, Memcached or the database), not the per-process default.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"paystack_rs": {"handlers": ["console"], "level": "INFO"}},
}
