//! paystack-sandbox: a stateful emulator of Paystack's Bulk Charge and Transaction APIs.
