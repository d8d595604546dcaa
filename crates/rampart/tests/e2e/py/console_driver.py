"""Headless Chromium for the console walks (`console_browser.py`, `console_orgs.py`): one
WebDriver session and the page helpers both scripts use — steps that screenshot and stop on
failure, form filling, and clicks that wait for the next page.

Call `start(endpoint, shots)` first; it returns the driver and its wait.
"""
import os
import re
import sys
import time
import traceback

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

driver = None
wait = None
_endpoint = ""
_shots = ""
_after_step = None
_step_number = 0


def start(endpoint, shots, downloads=None, after_step=None):
    """Starts Chromium. `downloads`: a folder for downloaded files; `after_step(number)` runs
    after every step that passed (review screenshots)."""
    global driver, wait, _endpoint, _shots, _after_step
    _endpoint, _shots, _after_step = endpoint, shots, after_step
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,760", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    if downloads:
        os.makedirs(downloads, exist_ok=True)
        options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                                  "download.prompt_for_download": False})
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    wait = WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,))
    return driver, wait


def step(name):
    """Runs a step; on failure saves a screenshot named after it and fails the script."""
    def run(fn):
        global _step_number
        _step_number += 1
        try:
            fn()
            print(f"ok   {_step_number:02d} {name}", flush=True)
            if _after_step:
                _after_step(f"{_step_number:02d}")
        except Exception:
            slug = re.sub(r'[^a-z0-9]+', '-', name.lower())
            path = os.path.join(_shots, f"{_step_number:02d}-{slug}.png")
            driver.save_screenshot(path)
            print(f"FAIL {_step_number:02d} {name} (screenshot {path}, at {driver.current_url})")
            traceback.print_exc()
            print(body()[:3000])
            driver.quit()
            sys.exit(1)
    return run


def go(path):
    driver.get(_endpoint + path)


def fill(name, value):
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def replaced(element):
    """A wait condition: `element`'s document is gone (Chromium reports a stale node either
    as a stale reference or as a node that no longer belongs to the document)."""
    def check(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    return check


def click_and_wait(element):
    """Clicks `element` and waits until the page it leads to has replaced this one."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()
    wait.until(replaced(old))


def press(text):
    """Clicks the button labelled `text` and waits for the next page."""
    for attempt in range(3):
        try:
            old = driver.find_element(By.TAG_NAME, "html")
            button = driver.find_element(By.XPATH, f"//button[normalize-space()='{text}']")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
            button.click()
            break
        except WebDriverException:
            # The document was still being replaced; nothing was clicked. Look again.
            if attempt == 2:
                raise
            time.sleep(0.2)
    wait.until(replaced(old))


def heading():
    return wait.until(ec.presence_of_element_located((By.TAG_NAME, "h1"))).text


def body():
    try:
        return driver.find_element(By.TAG_NAME, "body").text
    except WebDriverException:
        return ""


def until_heading(text):
    wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text == text)


def sign_out():
    press("Sign out")
    wait.until(lambda d: "/console/signin" in d.current_url)


def reset_link(outbox, email, timeout=30):
    """The link of the newest root password reset mail to `email`. The server sends it from
    its recovery worker after answering, so the mail is waited for."""
    deadline = time.monotonic() + timeout
    while True:
        for name in sorted(os.listdir(outbox), reverse=True):
            with open(os.path.join(outbox, name), newline="") as f:
                # Long lines travel quoted-printable: undo soft line breaks and `=3D`.
                raw = f.read().replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
            if "Reset your root user password" in raw and f"To: {email}" in raw:
                return re.search(r"(http://\S+/console/root/reset\?token=\S+)", raw).group(1)
        if time.monotonic() > deadline:
            raise AssertionError(f"no reset mail to {email} in {outbox}")
        time.sleep(0.1)
