"""How an OpenAI-style conversation maps onto a GovQA dialogue, and how a Reply reads in a chat client.

OpenAI-compatible clients (Open WebUI, LobeChat, the `openai` library) are stateless: every request
carries the whole history, and the last user message is the new turn. GovQA's dialogue state
(the pending clarifying question, the locked item, the slots) lives in the session store, so each
turn needs a session key the next request can compute again. The rule:

- a request that names its session (`X-Session-Id` header, or the `user` field) is one turn of that
  session: only its last user message is handled, earlier messages are ignored;
- otherwise the key of a turn is a hash of the conversation's user messages up to and including it
  (so it covers the first message and the number of turns). The state after turn k is stored under
  key(k); the request for turn k+1 copies it to key(k+1) and handles the new message there. A client
  resending the history therefore continues the same dialogue; regenerating a reply (the same
  history again) replays the turn from the state before it instead of answering it twice; editing
  an earlier message forks a new dialogue; two conversations with the same user messages share
  the same state, which is right because the dialogue is a function of what the citizen said.
  When no state is stored for the earlier turns (another server, pruned sessions), the new turn
  starts a fresh dialogue.

Assistant messages are not trusted as state: a client may trim or re-render them. They are read only
to turn a bare option number ("2") into the option's text when the previous assistant message is a
clarifying question as rendered here, so the reply still selects the option when the stored state is
gone.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from govqa import messages
from govqa.core.types import Answer, Citation, ClarifyingQuestion, Reply

SESSION_ID = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
KEY_PREFIX = "oa-"
# ASCII [n] reads as a Markdown link label or a client's own source chip in some chat front-ends;
# the full-width form reads the same to a citizen and means nothing to a renderer.
_MARKER = re.compile(r"\s?\[(\d{1,2})\]")
_OPTION_LINE = re.compile(r"^(\d{1,2})\. (.+)$")


@dataclass(frozen=True, slots=True)
class Turn:
    """The session a turn belongs to and the text to hand to the dialogue."""

    session_id: str
    text: str
    previous_key: str = ""  # the stateless key whose state this turn continues ("" for none)


def stateless_key(user_messages: Sequence[str]) -> str:
    """The session key of the turn ending with the last of `user_messages`."""
    digest = hashlib.sha256(json.dumps(list(user_messages), ensure_ascii=False).encode()).hexdigest()
    return f"{KEY_PREFIX}{len(user_messages)}-{digest[:40]}"


def session_for_user(user: str) -> str:
    """The session of an OpenAI `user` field: the value itself when it is a valid session id, else its hash."""
    if SESSION_ID.match(user):
        return user
    return "u-" + hashlib.sha256(user.encode()).hexdigest()[:40]


def option_options(assistant_text: str) -> tuple[str, ...]:
    """The options of a clarifying question as `render` writes it, or () for any other message."""
    lines = assistant_text.strip().split("\n")
    if not lines or lines[-1].strip() != messages.CLARIFY_HINT:
        return ()
    options: list[str] = []
    for line in lines[:-1]:
        m = _OPTION_LINE.match(line.strip())
        if m and int(m.group(1)) == len(options) + 1:
            options.append(m.group(2))
    return tuple(options)


def selected_option(reply: str, assistant_text: str) -> str:
    """A bare option number answering a rendered clarifying question becomes the option's text;
    any other reply is returned as it is."""
    text = reply.strip().rstrip("。.")
    options = option_options(assistant_text)
    if options and text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    return reply


def plain_markers(text: str) -> str:
    """Inline source markers in full-width brackets, with no space before them."""
    return _MARKER.sub(lambda m: f"［{m.group(1)}］", text)


def footnote(c: Citation) -> str:
    """One source line: ［n］《title》 文号 section."""
    parts = [f"［{c.marker}］《{c.title}》"]
    if c.doc_number:
        parts.append(c.doc_number)
    if c.section:
        parts.append(str(c.section).replace(" > ", " "))
    return " ".join(parts)


def body(reply: Reply) -> str:
    """The text of a reply as a chat client shows it, without its footnotes: an answer's text, or a
    clarifying question with numbered options and how to answer."""
    if isinstance(reply, ClarifyingQuestion):
        if not reply.options:
            return reply.text
        lines = [f"{n}. {o}" for n, o in enumerate(reply.options, 1)]
        return "\n".join([reply.text, *lines, messages.CLARIFY_HINT])
    return plain_markers(reply.text)


def footnotes(reply: Reply) -> str:
    """The sources block appended after an answer ("" for none): validity warnings, then the sources."""
    if not isinstance(reply, Answer):
        return ""
    warnings = [w for w in reply.warnings if w not in reply.text]
    lines = (
        [*warnings, messages.SOURCES_HEADING, *(footnote(c) for c in reply.citations)] if reply.citations else warnings
    )
    return "\n\n" + "\n".join(lines) if lines else ""


def content(reply: Reply) -> str:
    """Everything a chat client shows for a reply."""
    return body(reply) + footnotes(reply)
