"""The civil servants' workbench in a real headless Chromium against the real app and models."""

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


def test_search_filter_open_the_document_tree_and_banner(site: Any) -> None:
    browser, url, folders = site
    page = browser.new_page(viewport=DESKTOP)
    page.goto(url + "/workbench")
    page.wait_for_selector("#f-issuer option[value='江临市住房公积金管理中心']", state="attached")
    page.fill("#q", "住房公积金提取管理办法 租赁住房提取")
    page.keyboard.press("Enter")
    page.wait_for_selector(".hit")
    assert page.locator(".hit mark").count() > 0
    page.select_option("#f-type", "policy")  # a filter change searches again
    page.wait_for_function(
        "() => [...document.querySelectorAll('.hit .badge.type')].every(b => b.textContent === '政策文件')"
    )
    repealed = page.locator(".hit", has_text="江政发〔2019〕7号").first
    repealed.locator("button").click()
    page.wait_for_selector("#doc .banner")
    banner = page.locator("#doc .banner")
    assert banner.get_attribute("data-status") == "repealed" and "已废止" in banner.inner_text()
    assert page.locator("#doc details.node").count() == 5  # 五章
    assert page.locator("#doc .article.focus mark").count() > 0  # the hit's article, marked
    assert page.locator("#doc .article.focus").is_visible()
    page.locator("#doc summary", has_text="第一章").click()  # collapsible
    assert page.locator("#doc details.node").first.get_attribute("open") is None
    screenshot(page, folders, "workbench-desktop.png")
    page.locator("#doc .banner a.successor").click()  # to the successor
    page.wait_for_function(
        "() => document.querySelector('#doc .doc-title')?.textContent.includes('规定') || "
        "document.querySelector('#doc .banner')?.dataset.status === 'in_force'"  # the view re-renders meanwhile
    )
    assert page.locator("#doc .banner").get_attribute("data-status") == "in_force"
    page.fill("#f-date", "2025-01-01")
    page.dispatch_event("#f-date", "change")
    # the date filter searches again: the repealed 2019 rule drops out (waited for, then failing on timeout)
    page.wait_for_function(
        "() => document.querySelector('.hit') && !document.querySelector('#search-btn').disabled && "
        "![...document.querySelectorAll('.hit .hit-meta')].some(m => m.textContent.includes('2019'))",
        timeout=15_000,
    )
    page.close()


def test_qa_answer_cites_clauses_that_open_in_the_document_view(site: Any) -> None:
    browser, url, folders = site
    page = browser.new_page(viewport=PHONE)
    page.goto(url + "/workbench")
    page.click("#tab-qa")
    page.fill("#qa-input", "江临市专精特新中小企业认定管理办法第十二条")
    page.keyboard.press("Enter")
    page.wait_for_selector(".cites .cite", timeout=120_000)
    assert "3年" in page.locator(".qa-a").last.inner_text()
    screenshot(page, folders, "workbench-phone-qa.png")
    page.locator(".cites .cite").first.click()
    page.wait_for_selector("#doc .article.focus")
    assert "第十二条" in page.locator("#doc .article.focus").inner_text()
    assert page.locator("#left").is_hidden()  # on a phone the document replaces the list
    screenshot(page, folders, "workbench-phone-document.png")
    page.click("#doc .back")
    assert page.locator("#left").is_visible()
    page.close()
