"""The gateway's phone page in a real browser (Debian's Chromium, headless, driven by Selenium):
a department's handler signs in, starts a dispatched case and replies with a photo, and the
supervisor's desk console, on the same backend, shows the reply live (issue 23)."""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest
from pytestqt.qtbot import QtBot
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from console.app import Console
from console.embedded_backend import DEMO_PASSWORD
from domain.incident import IncidentState
from domain.township import load_demo_township
from tests.helpers import wait_live
from tests.processes import BackendProcess, GatewayProcess
from tests.services import dispatch

TOWNSHIP = load_demo_township()
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    if CHROMIUM is None or DRIVER is None:
        pytest.fail("Chromium not installed: `make test` installs it (chromium chromium-driver)")
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=412,915", "--lang=zh-CN"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _photo(path: Path) -> Path:
    pixels = np.full((240, 320, 3), 90, np.uint8)
    cv2.putText(pixels, "done", (40, 140), cv2.FONT_HERSHEY_SIMPLEX, 2, (255, 255, 255), 4)
    cv2.imwrite(str(path), pixels)
    return path


def _dispatched_case(backend: BackendProcess, gateway: GatewayProcess) -> tuple[str, str]:
    """A grid worker's report through the gateway, passed on, accepted and dispatched to the
    demo handler's department by the command room."""
    grid = TOWNSHIP.grids["V01G1"]
    with httpx.Client(base_url=gateway.url, timeout=30.0) as http:
        token = http.post("/v1/session", json={"user": "worker", "password": "demo"}).json()
        report = {"id": str(uuid.uuid4()), "category": "municipal_damage", "lat": grid.lat,
                  "lon": grid.lon, "description": "井盖缺失,有行人踩空的危险",
                  "reported_at": time.time()}  # fmt: skip
        filed = http.post("/v1/reports", json=report,
                          headers={"Authorization": f"Bearer {token['token']}"}).json()  # fmt: skip
        handler = http.post("/v1/session", json={"user": "handler", "password": "demo"}).json()
    department = next(d.code for d in TOWNSHIP.departments.values()
                      if handler["person"] in d.handlers)  # fmt: skip
    dispatch(backend.router, filed["id"], department)  # by the room
    return filed["id"], str(filed["number"])


def test_a_handler_replies_with_a_photo_on_the_phone_page_and_the_desk_sees_it(
    qtbot: QtBot, backend: BackendProcess, browser: WebDriver, tmp_path: Path
) -> None:
    gateway = GatewayProcess(backend.router).start()
    desk = Console(mode="desk", login=("supervisor", DEMO_PASSWORD))
    qtbot.addWidget(desk.window)
    try:
        incident, number = _dispatched_case(backend, gateway)
        desk.start(backend.router)
        desk.window.show()
        wait_live(qtbot, desk)
        wait = WebDriverWait(browser, 30)
        browser.get(gateway.url + "/")
        wait.until(seen.visibility_of_element_located((By.NAME, "user"))).send_keys("handler")
        browser.find_element(By.NAME, "password").send_keys("demo")
        browser.find_element(By.CSS_SELECTOR, "#signin-form button").click()
        shown = number
        entry = wait.until(seen.element_to_be_clickable(
            (By.XPATH, f"//ul[@id='case-list']/li[contains(., '{shown}')]")))  # fmt: skip
        assert "已派遣" in entry.text
        entry.click()
        wait.until(seen.element_to_be_clickable((By.XPATH, "//button[.='开始处置']"))).click()
        wait.until(seen.text_to_be_present_in_element((By.ID, "case-facts"), "处置中"))
        wait.until(seen.element_to_be_clickable((By.XPATH, "//button[.='处置反馈']"))).click()
        browser.find_element(By.NAME, "text").send_keys("已补装井盖,现场已恢复")
        browser.find_element(By.CSS_SELECTOR, "#action-form input[name=photos]").send_keys(
            str(_photo(tmp_path / "done.jpg"))
        )
        browser.find_element(By.ID, "action-submit").click()
        wait.until(seen.text_to_be_present_in_element((By.ID, "banner"), "已提交"))
        wait.until(seen.text_to_be_present_in_element((By.ID, "case-facts"), "已反馈"))
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#case-photos img")) == 1)
        assert "已补装井盖" in browser.find_element(By.ID, "timeline").text
        book = desk.window.queue_model.book

        def replied_at_the_desk() -> bool:
            case = book.get(incident)
            return case is not None and case.state == IncidentState.REPLIED

        qtbot.waitUntil(replied_at_the_desk, timeout=15_000)
    finally:
        desk.shutdown()
        gateway.stop()


def _position(browser: WebDriver) -> str:
    return str(browser.find_element(By.ID, "position").get_attribute("textContent"))


def test_a_grid_worker_reports_from_where_they_stand_after_walking(
    backend: BackendProcess, browser: WebDriver, tmp_path: Path
) -> None:
    """The page follows the phone's position: a report made after a walk is placed where the
    worker stands then, not where they signed in."""
    first, then = TOWNSHIP.grids["V01G1"], TOWNSHIP.grids["V02G1"]
    gateway = GatewayProcess(backend.router).start()
    try:
        browser.execute_cdp_cmd("Browser.grantPermissions", {
            "origin": gateway.url, "permissions": ["geolocation"]})  # fmt: skip
        here = {"latitude": first.lat, "longitude": first.lon, "accuracy": 8}
        browser.execute_cdp_cmd("Emulation.setGeolocationOverride", here)
        wait = WebDriverWait(browser, 30)
        browser.get(gateway.url + "/")
        wait.until(seen.visibility_of_element_located((By.NAME, "user"))).send_keys("worker")
        browser.find_element(By.NAME, "password").send_keys("demo")
        browser.find_element(By.CSS_SELECTOR, "#signin-form button").click()
        wait.until(lambda d: f"{first.lat:.5f}" in _position(d))  # its tab not yet shown
        browser.execute_cdp_cmd(
            "Emulation.setGeolocationOverride",
            {"latitude": then.lat, "longitude": then.lon, "accuracy": 8},
        )  # a walk later
        wait.until(seen.element_to_be_clickable((By.XPATH, "//button[.='上报事件']"))).click()
        wait.until(lambda d: f"{then.lat:.5f}" in _position(d))
        browser.find_element(By.NAME, "description").send_keys("桥头护栏松动")
        browser.find_element(By.CSS_SELECTOR, "#report-form input[name=photos]").send_keys(
            str(_photo(tmp_path / "rail.jpg"))
        )
        browser.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]").click()
        wait.until(seen.text_to_be_present_in_element((By.ID, "banner"), "已上报"))
        with httpx.Client(base_url=gateway.url, timeout=30.0) as http:
            token = http.post("/v1/session", json={"user": "worker", "password": "demo"}).json()
            mine = http.get("/v1/cases", headers={"Authorization": f"Bearer {token['token']}"})
        [filed] = [c for c in mine.json()["cases"] if "护栏" in c.get("description", "")]
        assert (filed["village"], filed["grid"]) == (then.village, then.code)
    finally:
        gateway.stop()
