# source: paystackease 2.3.7 README (PyPI), "Other Tools": convert_to_subunit, Channels, Currency
from paystackease import Channels, Currency, convert_to_subunit

# amount should be in subunit in this case 10000 kobo = 100 naira
money = convert_to_subunit(100, Currency.NGN)
print(money)
assert money == 10000

bank = Channels.BANK.value
print(bank)

val1 = Currency.NGN.value
print(val1)
