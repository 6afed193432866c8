"""Cleaning: drop portal chrome lines and normalise width and whitespace."""

from __future__ import annotations

import re

from govqa.core.text import normalise

# Lines that are navigation or page furniture on government portals, never content.
_CHROME = re.compile(
    # Chinese kept here: page-chrome lines of government portals (打印/关闭), removed from source text.
    r"^(?:打印本页|打印|关闭窗口|关闭|返回顶部|\[?打印\]?\s*\[?关闭\]?|【?字体[:：]?.{0,12}】?|分享到[:：]?.*|扫一扫.*|"
    r"当前位置[:：].*|您现在的位置[:：].*|上一篇[:：].*|下一篇[:：].*|相关链接[:：]?|"
    r"(?:微信|微博|QQ空间)(?:\s*(?:微信|微博|QQ空间))*|首页\s*[>＞].*|【?(?:大|中|小)\s*(?:中|小)?\s*】?|"
    r"责任编辑[:：].*|浏览次数[:：].*|访问量[:：].*)$"
)


# Control characters other than tab and line ends: NUL past the binary sniff, stray form feeds.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Normalise width/whitespace, drop control characters and portal chrome lines; content lines
    are kept verbatim."""
    lines = [line for line in normalise(_CONTROLS.sub("", text)).split("\n") if not _CHROME.match(line.strip())]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
