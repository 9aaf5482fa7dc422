"""Integrations with web frameworks. Each one is an optional extra and is imported only on demand:
``import paystack_rs`` never imports a framework."""
