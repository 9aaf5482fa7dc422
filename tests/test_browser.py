"""The sandbox's checkout page and dashboard in a real browser: headless Chromium (Debian's
``chromium`` and ``chromium-driver``, installed by scripts/test.sh) driven by Selenium, a Django
shop under ``manage.py runserver`` (tests/django_project/shop), and the sandbox, all on loopback.

The flow most Django apps build first: the shop initializes a transaction and redirects to
``authorization_url``; the buyer pays on the sandbox's checkout page; the sandbox redirects to
``callback_url?trxref=REF&reference=REF`` and the shop's verify sees the outcome, while the signed
``charge.success`` reaches the shop's webhook view. Then the dashboard, following a batch.

Nothing leaves the machine: Chromium is pointed at a proxy that does not exist (loopback is never
proxied, everything else fails), its background services are off, and Selenium is given the
driver's path, so Selenium Manager downloads nothing (SE_AVOID_STATS, SE_OFFLINE).

``PSR_SCREENSHOT_DIR=docs/images`` saves the screenshots the docs show (checkout.png, dashboard.png,
dashboard-batch.png).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium import webdriver
from selenium.common.exceptions import JavascriptException, NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from paystack_rs.sandbox import Sandbox

from .conftest import key_for
from .servers import DjangoServer

SHOP_KEY = key_for("browser-shop")
DASHBOARD_KEY = key_for("browser-dashboard")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _binary(names: list[str], package: str) -> str:
    for name in names:
        found = shutil.which(name) or next(
            (p for p in (f"/usr/bin/{name}", f"/usr/lib/chromium/{name}") if os.access(p, os.X_OK)), None
        )
        if found:
            return found
    raise RuntimeError(f"{names[0]} is missing: scripts/test.sh installs {package} (apt)")


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = _binary(["chromium"], "chromium")
    for argument in [
        "--headless=new",
        "--no-sandbox",  # root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1200,900",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--metrics-recording-only",
        "--no-pings",
        # Loopback is never proxied; any other address goes to a port where nothing listens.
        "--proxy-server=http://127.0.0.1:9",
    ]:
        options.add_argument(argument)
    service = webdriver.ChromeService(executable_path=_binary(["chromedriver"], "chromium-driver"))
    with pytest.MonkeyPatch.context() as env:  # Selenium Manager, should anything call it: no stats, offline
        env.setenv("SE_AVOID_STATS", "true")
        env.setenv("SE_OFFLINE", "true")
        driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def shop_sandbox(sandbox: Sandbox) -> Sandbox:
    return Sandbox.connect(sandbox.base_url, SHOP_KEY)


@pytest.fixture(scope="module")
def shop(shop_sandbox: Sandbox) -> Iterator[DjangoServer]:
    settings = {"PAYSTACK_SECRET_KEY": SHOP_KEY, "SHOP_SECRET_KEY": SHOP_KEY, "SHOP_BASE_URL": shop_sandbox.base_url}
    with DjangoServer("runserver", settings, debug=True) as site:
        shop_sandbox.configure(webhook_url=site.url("/paystack/webhook/"))
        yield site


def wait(driver: WebDriver, condition: Callable[[WebDriver], Any], timeout: float = 10) -> Any:
    # A page that reloads itself can swap its elements between two looks at them: an element found
    # before the reload is stale, or (reading an attribute through chromedriver's script) "does not
    # belong to the document".
    ignored = (NoSuchElementException, StaleElementReferenceException, JavascriptException)
    return WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=ignored).until(condition)


def screenshot(driver: WebDriver, tmp_path: Path, name: str) -> None:
    """A screenshot that must be a real PNG; also kept in PSR_SCREENSHOT_DIR when that is set."""
    png = driver.get_screenshot_as_png()
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 10_000, "Chromium rendered the page"
    (tmp_path / name).write_bytes(png)
    target = os.environ.get("PSR_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        (Path(target) / name).write_bytes(png)


def buy(driver: WebDriver, shop: DjangoServer, sandbox: Sandbox, amount: int) -> str:
    """The buyer submits the shop's form and lands on the checkout page; returns the reference."""
    driver.get(shop.url("/shop/"))
    field = driver.find_element(By.ID, "amount")
    field.clear()
    field.send_keys(str(amount))
    driver.find_element(By.ID, "buy").click()
    wait(driver, lambda d: d.current_url.startswith(f"{sandbox.base_url}/_sandbox/checkout/"))
    return driver.find_element(By.ID, "reference").text


def callback_query(driver: WebDriver, shop: DjangoServer) -> dict[str, list[str]]:
    wait(driver, lambda d: d.current_url.startswith(shop.url("/shop/callback/")))
    return parse_qs(urlsplit(driver.current_url).query)


def webhooks_for(shop: DjangoServer, reference: str) -> list[dict[str, Any]]:
    return [r for r in shop.records() if r["reference"] == reference and r["receiver"] == "sync"]


def test_pay_at_checkout_and_the_shop_verifies_success(
    browser: WebDriver, shop: DjangoServer, shop_sandbox: Sandbox, tmp_path: Path
) -> None:
    reference = buy(browser, shop, shop_sandbox, 250_000)
    assert browser.find_element(By.ID, "amount").text == "₦2,500.00"
    assert browser.find_element(By.ID, "email").text == "buyer@example.com"
    assert browser.find_element(By.ID, "merchant").text.startswith("Sandbox merchant #")
    assert SHOP_KEY not in browser.page_source
    screenshot(browser, tmp_path, "checkout.png")

    browser.find_element(By.ID, "pay-success").click()
    query = callback_query(browser, shop)
    assert query == {"trxref": [reference], "reference": [reference]}
    assert browser.find_element(By.ID, "status").text == "success"
    assert browser.find_element(By.ID, "gateway_response").text == "Successful"
    assert browser.find_element(By.ID, "amount").text == "250000"

    # As the control call would: one successful charge in the ledger, a reusable authorization,
    # and the signed charge.success accepted by the shop's webhook view.
    assert shop_sandbox.ledger(reference)["counts"][reference]["successful_charges"] == 1
    verified = shop_sandbox.client().transaction.verify(reference).data
    assert verified["authorization"]["reusable"] is True
    deadline = time.monotonic() + 10
    while not webhooks_for(shop, reference) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [r["event"] for r in webhooks_for(shop, reference)] == ["charge.success"]

    # Back to the payment page (the browser's history): it is closed now, and paying again is refused.
    browser.back()
    browser.refresh()
    assert "already been completed" in browser.page_source
    assert shop_sandbox.ledger(reference)["counts"][reference]["successful_charges"] == 1


@pytest.mark.parametrize(
    ("card", "gateway_response"), [("declined", "Declined"), ("insufficient-funds", "Insufficient Funds")]
)
def test_a_refused_card_lands_on_the_callback_as_failed(
    browser: WebDriver, shop: DjangoServer, shop_sandbox: Sandbox, card: str, gateway_response: str
) -> None:
    reference = buy(browser, shop, shop_sandbox, 120_000)
    browser.find_element(By.ID, f"pay-{card}").click()
    assert callback_query(browser, shop) == {"trxref": [reference], "reference": [reference]}
    assert browser.find_element(By.ID, "status").text == "failed"
    assert browser.find_element(By.ID, "gateway_response").text == gateway_response
    time.sleep(0.2)
    assert webhooks_for(shop, reference) == [], "no webhook for a failed charge"
    assert shop_sandbox.ledger(reference)["counts"][reference]["successful_charges"] == 0


def progress(driver: WebDriver, code: str) -> tuple[int, int]:
    bar = driver.find_element(By.CSS_SELECTOR, f'progress[data-batch="{code}"]')
    return int(bar.get_attribute("value") or 0), int(bar.get_attribute("max") or 0)


def test_the_dashboard_follows_a_running_batch(
    browser: WebDriver, sandbox: Sandbox, shop_sandbox: Sandbox, tmp_path: Path
) -> None:
    sb = Sandbox.connect(sandbox.base_url, DASHBOARD_KEY)
    sb.configure(process_interval_ms=120)
    charges = [
        {"authorization": Sandbox.AUTH_SUCCESS, "amount": 10_000 + i, "reference": f"dash-{i}"} for i in range(16)
    ]
    charges[5]["authorization"] = Sandbox.AUTH_DECLINED
    code = sb.client().bulk_charge.initiate(charges).data["batch_code"]

    browser.get(f"{sandbox.base_url}/_sandbox/")
    browser.find_element(By.ID, "key").send_keys(DASHBOARD_KEY)
    browser.find_element(By.ID, "sign-in").click()
    wait(browser, lambda d: d.find_elements(By.ID, "sign-out"))
    assert DASHBOARD_KEY not in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, f'progress[data-batch="{code}"]'), "the overview shows the batch"
    screenshot(browser, tmp_path, "dashboard.png")

    browser.get(f"{sandbox.base_url}/_sandbox/dashboard/batches/{code}")
    first, total = wait(browser, lambda d: progress(d, code))
    assert total == 16
    assert first < total
    screenshot(browser, tmp_path, "dashboard-batch.png")
    # The page reloads itself (a meta refresh, no script): the bar advances without a click.
    later = wait(browser, lambda d: (p := progress(d, code))[0] > first and p)
    assert later[0] > first
    wait(browser, lambda d: progress(d, code) == (16, 16), timeout=20)
    wait(
        browser,
        lambda d: 'data-status="complete"' in d.page_source or "complete" in d.find_element(By.TAG_NAME, "h1").text,
    )
    assert browser.find_elements(By.CSS_SELECTOR, 'tr[data-status="failed"]'), "the declined charge is marked"
    assert not browser.find_elements(By.CSS_SELECTOR, 'meta[http-equiv="refresh"]'), "done: no more reloads"
    assert DASHBOARD_KEY not in browser.page_source
    assert SHOP_KEY not in browser.page_source
