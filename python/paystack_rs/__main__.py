"""``python -m paystack_rs``: the ``paystack-rs`` command."""

import sys

from .cli import main

sys.exit(main())
