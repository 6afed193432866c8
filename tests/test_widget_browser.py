"""The chat widget in a real headless Chromium against the real app and models."""

from __future__ import annotations

import json
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


@pytest.fixture(scope="module")
def page(site: tuple[Any, str, list[Path]]) -> Iterator[Any]:
    browser, url, _ = site
    tab = browser.new_page(viewport=DESKTOP)
    tab.goto(url + "/")
    yield tab
    tab.close()


def test_widget_clarifies_answers_with_citations_and_takes_feedback(page: Any, site: Any) -> None:
    folders = site[2]
    assert page.locator(".welcome").inner_text().startswith("您好")
    page.fill(".input", "公积金提取需要什么材料")
    page.keyboard.press("Enter")  # the keyboard alone can ask
    page.wait_for_selector(".option", timeout=60_000)
    assert "租赁住房" in page.locator(".option").all_inner_texts()
    page.locator(".option", has_text="租赁住房").click()
    page.wait_for_selector(".sources li", timeout=120_000)
    answer = page.locator(".bot").last
    assert "申请材料" in answer.inner_text() and "住房公积金提取（租赁住房）" in answer.inner_text()
    cite = answer.locator(".cite").first
    assert cite.get_attribute("aria-expanded") == "false" and cite.inner_text().startswith("[1]")
    cite.click()
    quote = answer.locator(".quote").first
    assert cite.get_attribute("aria-expanded") == "true" and quote.is_visible()
    href = quote.locator("a").get_attribute("href") or ""
    assert "/workbench#doc=JL-GJJ-TQ-002" in href and "&chunk=" in href

    sent: list[dict[str, object]] = []

    def accept(route: Any) -> None:
        sent.append(json.loads(route.request.post_data or "{}"))
        route.fulfill(status=200, content_type="application/json", body='{"id": 1}')

    page.route("**/api/v1/feedback", accept)
    answer.get_by_role("button", name="没有帮助", exact=True).click()
    answer.get_by_label("反馈原因（可选）").fill("材料清单不全")
    answer.get_by_role("button", name="提交反馈").click()
    page.wait_for_selector(".thanks")
    assert answer.locator(".reason").is_hidden() and answer.locator(".thumb").first.is_disabled()
    assert sent and sent[0]["rating"] == "down" and sent[0]["comment"] == "材料清单不全" and sent[0]["turn"] == 2
    assert isinstance(sent[0]["session_id"], str) and len(str(sent[0]["session_id"])) >= 8
    page.unroute("**/api/v1/feedback")
    screenshot(page, folders, "widget-desktop.png")


def test_feedback_that_fails_says_so_politely(page: Any) -> None:
    page.route("**/api/v1/feedback", lambda route: route.fulfill(status=503, body="{}"))
    page.fill(".input", "办理时限是多久")  # a follow-up on the locked item: a field answer
    page.keyboard.press("Enter")
    page.wait_for_selector(".bot:last-child .thumb", timeout=120_000)
    last = page.locator(".bot").last
    last.locator(".thumb[data-rating=up]").click()
    last.get_by_role("button", name="提交反馈").click()
    page.wait_for_selector(".bot:last-child .fail")
    assert "未能提交" in last.locator(".fail").inner_text()
    page.unroute("**/api/v1/feedback")
    last.get_by_role("button", name="提交反馈").click()  # again, to the real endpoint
    page.wait_for_selector(".bot:last-child .thanks", timeout=30_000)


def test_widget_rejects_empty_input_without_calling_the_server(page: Any) -> None:
    before = page.locator(".user").count()
    page.fill(".input", "   ")
    page.click(".send")
    page.wait_for_selector(".error")
    assert "问题不能为空" in page.locator(".error").last.inner_text()
    assert page.locator(".user").count() == before


def test_host_page_styles_do_not_reach_the_widget(site: Any) -> None:
    browser, url, folders = site
    tab = browser.new_page(viewport=PHONE)
    tab.goto(url + "/demo")
    tab.wait_for_selector(".welcome")
    assert tab.locator(".head").inner_text() == "江临市政务咨询"
    assert tab.locator(".welcome").inner_text() == "您好，欢迎咨询江临市政务服务事项。"
    style = tab.evaluate(
        """() => {
        const s = getComputedStyle(document.querySelector('#govqa-chat').shadowRoot.querySelector('.send'));
        const m = getComputedStyle(document.querySelector('#govqa-chat').shadowRoot.querySelector('.welcome'));
        const host = getComputedStyle(document.querySelector('body > .layout button'));
        return {send: s.fontSize, sendBg: s.backgroundColor, msg: m.display, spacing: m.letterSpacing,
                host: host.fontSize, width: document.querySelector('#govqa-chat').getBoundingClientRect().width};
    }"""
    )
    assert style["host"] == "30px"  # the host page's own rule works on its own button
    assert style["send"] == "14px" and style["sendBg"] == "rgb(163, 29, 29)" and style["msg"] != "none"
    assert style["spacing"] in ("normal", "0px") and style["width"] <= 390
    tab.fill(".input", "公积金提取需要什么材料")
    tab.keyboard.press("Enter")
    tab.wait_for_selector(".option", timeout=60_000)
    screenshot(tab, folders, "widget-phone-demo.png")
    tab.close()
