"""The chat widget in a real headless Chromium against the real app and models."""

import shutil
from pathlib import Path

import pytest

from govqa.bootstrap import Container
from tests.servers import app_in_thread

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def page(real_container: Container):  # type: ignore[no-untyped-def]
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make test installs it with apt-get; or apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with app_in_thread(real_container) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        tab = browser.new_page()
        tab.goto(url + "/")
        yield tab
        browser.close()


def test_widget_clarifies_with_buttons_and_shows_sources(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.fill(".govqa-input", "公积金提取需要什么材料")
    page.click(".govqa-send")
    page.wait_for_selector(".govqa-option", timeout=60_000)
    options = page.locator(".govqa-option").all_inner_texts()
    assert "租赁住房" in options
    page.locator(".govqa-option", has_text="租赁住房").click()
    page.wait_for_selector(".govqa-sources li", timeout=120_000)
    answer = page.locator(".govqa-bot").last.inner_text()
    assert "申请材料" in answer and "住房公积金提取（租赁住房）" in answer
    page.screenshot(path=str(tmp_path / "widget.png"))


def test_widget_rejects_empty_input_without_calling_the_server(page) -> None:  # type: ignore[no-untyped-def]
    before = page.locator(".govqa-msg").count()
    page.fill(".govqa-input", "   ")
    page.click(".govqa-send")
    page.wait_for_selector(".govqa-error")
    assert "问题不能为空" in page.locator(".govqa-error").last.inner_text()
    assert page.locator(".govqa-user").count() == 0 or page.locator(".govqa-msg").count() == before + 1
