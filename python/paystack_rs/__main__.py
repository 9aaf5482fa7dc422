"""``python -m paystack_rs``: the ``paystack-rs`` command."""

import sys

from .cli import main

if __name__ == "__main__":  # imported (by a tool listing the modules), it runs nothing
    sys.exit(main())
