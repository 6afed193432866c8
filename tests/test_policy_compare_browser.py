"""The workbench's version comparison in a real headless Chromium against the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govqa.bootstrap import Container
from tests.browser import DESKTOP, PHONE, artifacts, chromium, screenshot
from tests.servers import app_in_thread

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def site(real_container: Container, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str, list[Path]]]:
    with app_in_thread(real_container) as url, chromium() as browser:
        yield browser, url, artifacts(tmp_path_factory)


def test_a_repealed_policy_compares_with_its_successor_marking_edits(site: Any) -> None:
    browser, url, folders = site
    page = browser.new_page(viewport=DESKTOP)
    page.goto(url + "/workbench#doc=jlzf-2019-07")
    page.wait_for_selector("#doc .compare-tools button")
    button = page.locator("#doc .compare-tools button")
    assert button.inner_text() == "与新版对比"
    button.click()
    page.wait_for_selector("#doc .diff-list .diff-pair")
    assert page.locator("#doc .diff-pair").count() == 29
    rent = page.locator("#doc .diff-pair.changed", has_text="旧版第七条")
    assert "新版第八条" in rent.locator(".pair-head").inner_text()
    assert rent.locator("del").count() > 0 and rent.locator("ins").count() > 0
    assert "12000元 → 18000元" in rent.locator(".figures").inner_text()
    # the marks are announced: each carries words for screen readers
    assert "删除" in rent.locator("del .sr-only").first.text_content()
    assert "修改 15 条" in page.locator("#doc .diff-summary").inner_text()
    page.check("#only-changes")
    assert page.locator("#doc .diff-pair.unchanged").first.is_hidden()
    screenshot(page, folders, "workbench-compare-desktop.png")
    page.click("#doc .back-doc")
    page.wait_for_selector("#doc .banner[data-status='repealed']")
    page.close()


def test_the_successor_offers_the_comparison_with_the_old_version_on_a_phone(site: Any) -> None:
    browser, url, folders = site
    page = browser.new_page(viewport=PHONE)
    page.goto(url + "/workbench#doc=jlzf-2024-08")
    page.wait_for_selector("#doc .compare-tools button")
    page.locator("#doc .compare-tools button", has_text="与旧版对比").click()
    page.wait_for_selector("#doc .diff-pair.added")
    assert page.locator("#doc .diff-pair.added").count() == 9
    screenshot(page, folders, "workbench-compare-phone.png")
    page.close()
