"""User text made safe for GitHub Markdown, and the text progress bar (pure)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

ZWJ = "\u200d"
# Line and paragraph breaks become spaces: every piece of user text sits on one line
# (a heading, a table cell, a task-list item), and a newline there would break out of it.
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]")
# Bidi embeddings, overrides, isolates and marks can make text read differently from what
# it is ("Trojan Source"); they have no business in a roadmap title.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# GitHub turns @name into a mention, #12 and GH-12 into issue links, and (with the autolink
# extension) www., scheme:// and e-mail addresses into links. A zero-width joiner keeps the
# text as it reads while breaking each pattern; "<!--" and "-->" are split the same way so
# user text can never open a comment or complete a marker.
_NEUTRAL = (
    (re.compile(r"<!--"), f"<!{ZWJ}--"),
    (re.compile(r"-->"), f"-{ZWJ}->"),
    (re.compile(r"@"), f"@{ZWJ}"),
    (re.compile(r"#(?=\d)"), f"#{ZWJ}"),
    (re.compile(r"(?i)(?<=gh)-(?=\d)"), f"{ZWJ}-"),
    (re.compile(r":(?=//)"), f":{ZWJ}"),
    (re.compile(r"(?i)(?<=www)\."), f"{ZWJ}."),
)
# Every character that means something in GitHub Markdown inline text: links and images
# ([ ]), emphasis (* _), strikethrough (~), code (`), raw HTML and autolinks (< >), table
# cells (|), closing heading hashes (#), math ($), escapes themselves (\) and entities
# (& only where one could start: "A & B" stays readable in the raw README).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#$]|&(?=[A-Za-z0-9#]))")
_ISSUE_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+")


def one_line(text: object) -> str:
    """User text on one line: breaks become spaces, control and bidi characters go, and a
    run of spaces becomes one. The Markdown escapes and the pictures both start here."""
    flat = _BREAKS.sub(" ", str(text))
    kept = "".join(c for c in flat if c not in _BIDI and unicodedata.category(c) != "Cc")
    return re.sub(r" {2,}", " ", kept).strip()


def _plain(text: object) -> str:
    """``one_line``, its GitHub patterns neutralised."""
    out = one_line(text)
    for pattern, replacement in _NEUTRAL:
        out = pattern.sub(replacement, out)
    return out


def escape_markdown(text: object) -> str:
    """User text made inert for Markdown: it renders as the same words, and nothing else."""
    return _MD_SPECIAL.sub(r"\\\1", _plain(text))


def escape_html(text: object) -> str:
    """User text made inert inside raw HTML (``<summary>``), where Markdown is not parsed."""
    plain = _plain(text)
    return plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bar(percent: int, width: int = 20, full: str = "█", empty: str = "░") -> str:
    """A text progress bar, e.g. ``█████░░░░░`` for 50% of 10 cells (full cells round down)."""
    filled = max(0, min(width, percent * width // 100))
    return full * filled + empty * (width - filled)


def issue_url(url: str) -> str:
    """The URL when it is a plain http(s) URL that is safe inside ``(…)``, else ``""``."""
    return url if _ISSUE_URL.fullmatch(url) else ""


def url_path(path: str) -> str:
    """A path or URL percent-encoded for a Markdown link destination (spaces, parentheses)."""
    return quote(path, safe="/:?=&%#+,;@~!$'*")


def plural(count: int, noun: str) -> str:
    """``1 week``, ``3 weeks``, ``0 items``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
