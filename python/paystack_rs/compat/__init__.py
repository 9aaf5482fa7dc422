"""Other Paystack SDKs' interfaces on paystack-rs: move with one changed import line.

    from paystack_rs.compat.paystackease import AsyncPayStackBase   # was: from paystackease import ...
    from paystack_rs.compat.pypaystack2 import PaystackClient       # was: from pypaystack2 import ...

Each shim only renames and reshapes: every call goes through paystack-rs's own methods (the same
validation, retries and references), and answers in the shape the original library gives.
docs/migrating.md lists what differs and how to move on to the native API. Neither shim is
imported by ``import paystack_rs``.
"""
