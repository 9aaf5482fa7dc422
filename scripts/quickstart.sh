#!/usr/bin/env bash
# The main job: against the embedded sandbox (or a real key: PAYSTACK_SECRET_KEY and
# PAYSTACK_BASE_URL), initiate a bulk charge, follow it to completion and verify a transaction.
source "$(dirname "$0")/env.sh"
exec "$VENV_PY" examples/quickstart.py "$@"
