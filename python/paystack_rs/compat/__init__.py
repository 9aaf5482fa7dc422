"""Other Paystack SDKs' interfaces on paystack-rs: move by replacing the package prefix.

    from paystack_rs.compat.paystackease import AsyncPayStackBase       # was: from paystackease import ...
    from paystack_rs.compat.pypaystack2.enums import Currency           # was: from pypaystack2.enums import ...

Each shim is a package laid out as the library it stands in for (``_layout.py``), for what it
covers: Bulk Charges, Transactions, Settlements, Refunds and webhook verification. Each only
renames and reshapes: every call goes through paystack-rs's own methods, by parameter name
(``_shared.call``), with the same validation, retries and references, and answers in the shape the
original library gives. docs/migrating.md lists what differs and how to move on to the native API.
Neither shim is imported by ``import paystack_rs``.
"""
