"""README safety through ``roadmap-sync render``: the text around the markers is kept byte for
byte; user text (titles, phase names, taglines, goal…) renders as its own words and nothing
else, checked with GitHub's cmark-gfm; a user ``--template`` cannot reach files or Python
internals, and fails in one line with the README untouched.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Run
from tests.fake_github import FakeGitHub
from tests.reliability.test_support import BIDI_CONTROLS, fresh_repository, issues_by_item, tree

START, END = "<!-- roadmap-sync:start -->", "<!-- roadmap-sync:end -->"
ZWJ = "\u200d"
FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
SMALL = """title: Small
phases:
  - name: One
    topics:
      - id: a
        title: A
"""

# --- the text around the markers ---------------------------------------------------------

OUTSIDE_LINE = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"), max_size=30),
    st.sampled_from(
        [
            "```",
            "~~~",
            "  ```python",
            "    " + START,
            "> " + END,
            START + " trailing",
            "# Title",
            "",
            "\ufeff",
            "\t",
            "<!-- roadmap-sync:start",
            "- [ ] a task",
        ]
    ),
)


@st.composite
def readmes(draw: Any) -> tuple[str, str, str]:
    """(before, section, after): before ends a line, after starts one, in the README's
    own line endings."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    before = "".join(line + newline for line in draw(st.lists(OUTSIDE_LINE, max_size=6)))
    after = "".join(newline + line for line in draw(st.lists(OUTSIDE_LINE, max_size=6)))
    if draw(st.booleans()):
        after += newline
    section = f"{START}{newline}old{newline}{END}"
    return before, section, after


@settings(
    database=None,
    deadline=None,
    max_examples=150,
    derandomize=True,
    suppress_health_check=FIXTURES,
)
@given(readmes())
def test_render_keeps_every_byte_outside_the_markers(
    workdir: Path, run: Run, parts: tuple[str, str, str]
) -> None:
    Path("roadmap.yaml").write_text(SMALL, encoding="utf-8")
    before, section, after = parts
    readme = Path("README.md")
    original = (before + section + after).encode("utf-8")
    readme.write_bytes(original)
    snapshot = tree(workdir)
    result = run("render", "--local", expect=None)
    new = readme.read_bytes()
    fenced = any(mark in before + after for mark in ("`", "~", "roadmap-sync:"))
    if result.code == 0 and "had no roadmap-sync markers" in result.err:
        # The markers were inside code, so not markers: the section was appended after the
        # whole README, kept as it was.
        assert fenced
        assert new.startswith(original)
        assert new.rstrip(b"\r\n").endswith(END.encode())
    elif result.code == 0:
        assert new.startswith(before.encode("utf-8"))
        assert new.endswith(after.encode("utf-8"))
        middle = new[len(before.encode()) : len(new) - len(after.encode())].decode("utf-8")
        assert middle.startswith(START)
        assert middle.endswith(END)
        assert middle.count(START) == middle.count(END) == 1
    else:
        # Only text that could hide or repeat a marker may make render refuse, in one line,
        # leaving every file as it was.
        assert fenced, result.err
        assert result.code == 1
        assert len(result.err.splitlines()) == 1
        assert result.err.startswith("roadmap-sync: error: README.md")
        assert tree(workdir) == snapshot


# --- user text, rendered -------------------------------------------------------------------

HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](https://evil.example)",
    "![pic](https://evil.example/p.png)",
    "](javascript:alert(1))",
    "<https://evil.example>",
    "https://evil.example/x",
    "www.evil.example",
    "mail@evil.example",
    "@octocat",
    "#12",
    "GH-12",
    START,
    END,
    "<!--",
    "-->",
    "<details><summary>x</summary>",
    "</details>",
    "`code`",
    "**bold** _it_ ~~del~~",
    "| a | b |",
    "\\",
    "&amp; &#60; &lt;",
    "\u200f\u061c\u200e",
    "\u2028",
    "\t",
    "$x$",
    "[^1]",
    "<",
    ">",
)
TEXT_CHARS = st.characters(
    exclude_categories=("Cs", "Cc"), exclude_characters=BIDI_CONTROLS, max_codepoint=0x2FFFF
)
PIECE = st.one_of(st.text(TEXT_CHARS, max_size=10), st.sampled_from(HOSTILE))
USER_TEXT = st.lists(PIECE, min_size=1, max_size=4).map("".join)
ALLOWED_TAGS = {"h2", "h3", "p", "strong", "em", "code", "img", "blockquote", "table", "thead"}
ALLOWED_TAGS |= {"tbody", "tr", "th", "td", "ul", "li", "input", "a", "del", "details", "summary"}
ALLOWED_TAGS |= {"b", "pre"}
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BREAKS = set("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")


def visible(text: str) -> str:
    """What a title must read as on one line: breaks become spaces, control and bidi
    characters go, runs of spaces are one, no space at either end (and no ZWJ, which the
    tool may add to break links and mentions without changing what is read)."""
    flat = "".join(" " if c in BREAKS else c for c in text)
    kept = "".join(c for c in flat if c not in BIDI and unicodedata.category(c) != "Cc")
    return re.sub(" {2,}", " ", kept).strip().replace(ZWJ, "")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each <a>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[tuple[str | None, str]] = []
        self._in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self.links.append((dict(attrs).get("href"), ""))
            self._in_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link = False

    def handle_data(self, data: str) -> None:
        if self._in_link:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)


def github_html(markdown: str) -> Elements:
    rendered = cmarkgfm.markdown_to_html_with_extensions(
        markdown,
        options=cmarkgfm.Options.CMARK_OPT_UNSAFE,  # raw HTML kept, to be seen
        extensions=["table", "tasklist", "autolink", "strikethrough"],
    )
    parser = Elements()
    parser.feed(rendered)
    return parser


def roadmap_with(texts: dict[str, str], titles: list[str]) -> str:
    line = {key: value.replace("\n", " ").replace("\r", " ") for key, value in texts.items()}
    topics = [{"id": f"item-{n}", "title": title} for n, title in enumerate(titles[:3])]
    phases = [
        {"id": "one", "name": line["name"], "tagline": texts["tagline"], "topics": topics},
        # Everything done: the phase folds into <details>, its name in raw HTML.
        {
            "id": "two",
            "name": line["name2"],
            "tagline": texts["tagline"],
            "focus": texts["focus"],
            "projects": [{"id": "item-3", "title": titles[3]}],
        },
    ]
    doc = {"title": line["title"], "goal": texts["goal"], "phases": phases}
    return yaml.safe_dump(doc, allow_unicode=True)


TITLE = USER_TEXT.map(lambda t: t.replace("\n", " ").replace("\r", " ")[:200]).filter(
    lambda t: t.strip() != ""
)


@settings(
    database=None,
    deadline=None,
    max_examples=60,
    derandomize=True,
    suppress_health_check=FIXTURES,
)
@given(
    texts=st.fixed_dictionaries(
        dict.fromkeys(("title", "goal", "name", "name2", "tagline", "focus"), TITLE)
    ),
    titles=st.lists(TITLE, min_size=4, max_size=4),
)
def test_user_text_renders_as_its_words_and_nothing_else(
    github_env: Path, fake_github: FakeGitHub, run: Run, texts: dict[str, str], titles: list[str]
) -> None:
    fresh_repository(fake_github)
    Path("roadmap.yaml").write_text(roadmap_with(texts, titles), encoding="utf-8")
    Path("README.md").write_text(f"# Mine\n\n{START}\n{END}\n", encoding="utf-8")
    run("sync")
    numbers = {key: issues[0]["number"] for key, issues in issues_by_item(fake_github).items()}
    fake_github.ui_close_issue(numbers["item-1"])  # done
    fake_github.ui_close_issue(numbers["item-2"], "not_planned")  # skipped
    fake_github.ui_add_labels(numbers["item-0"], "in progress")
    fake_github.ui_close_issue(numbers["item-3"])  # phase two complete: <details>
    run("render")
    readme = Path("README.md").read_text(encoding="utf-8")
    assert readme.count(START) == readme.count(END) == 1, "user text made a marker"
    section = readme[readme.index(START) : readme.index(END)]
    assert section.count("<!--") == 2, "user text opened an HTML comment"
    without_links = re.sub(r"\]\(https://github\.com/learner/roadmap/issues/\d+\)", "]", section)
    assert not re.search(r"@[A-Za-z0-9]", without_links), "a mention"
    assert not re.search(r"(?i)(#|\bgh-)\d", without_links), "an issue reference"

    page = github_html(section)
    tags = {tag for tag, _ in page.tags}
    assert tags <= ALLOWED_TAGS, f"raw HTML from user text: {tags - ALLOWED_TAGS}"
    # The one code block is the burn-up chart's, which holds no user text.
    assert [tag for tag, _ in page.tags].count("pre") == 1
    for tag, attrs in page.tags:
        if tag == "code" and attrs:
            assert attrs == {"class": "language-mermaid"}
        elif tag == "img":
            # The badge and the two pictures, none of them carrying user text.
            assert attrs["src"] in {
                ".github/badges/progress.svg",
                ".github/badges/map.svg",
                ".github/badges/calendar.svg",
            }, attrs
            assert set(attrs) == {"src", "alt"}
        elif tag == "input":
            assert set(attrs) <= {"type", "checked", "disabled"}
        elif tag != "a":
            assert attrs == {}, (tag, attrs)
    urls = {f"https://github.com/learner/roadmap/issues/{n}" for n in numbers.values()}
    card = ".github/badges/card.svg"  # the link to the progress card, made by the tool
    assert [href for href, _ in page.links].count(card) == 1
    page.links.remove(next(link for link in page.links if link[0] == card))
    assert {href for href, _ in page.links} == urls
    # Each item's link once in its phase, and item-0 (in progress, the one open) again first,
    # under "Next up".
    assert len(page.links) == 5
    assert page.links[0][0] == f"https://github.com/learner/roadmap/issues/{numbers['item-0']}"
    read = {href: text.replace(ZWJ, "") for href, text in page.links}
    for n, title in enumerate(titles):
        url = f"https://github.com/learner/roadmap/issues/{numbers[f'item-{n}']}"
        assert read[url] == (visible(title) or f"item-{n}"), (title, read[url])


# --- the template sandbox ------------------------------------------------------------------

ESCAPES = {
    "mro": "{{ ''.__class__.__mro__ }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler-globals": "{{ cycler.__init__.__globals__ }}",
    "joiner-os": "{{ joiner.__init__.__globals__.os.popen('id').read() }}",
    "lipsum-globals": "{{ lipsum.__globals__ }}",
    "namespace-globals": "{{ namespace.__init__.__globals__ }}",
    "include-passwd": "{% include '/etc/passwd' %}",
    "import-passwd": "{% import '/etc/passwd' as p %}{{ p }}",
    "extends-passwd": "{% extends '/etc/passwd' %}",
    "self-context": "{{ self._TemplateReference__context }}",
    "progress-class": "{{ progress.__class__.__init__.__globals__ }}",
    "method-globals": "{{ roadmap.phase_of.__func__.__globals__ }}",
    "format-attr": "{{ '{0.__class__.__mro__}'.format(progress) }}",
    "format-map": "{{ '{0.__globals__}'.format_map([lipsum]) }}",
    "config": "{{ config.items() }}",
    "huge-range": "{{ range(10**9) | list | length }}",
}


@pytest.mark.parametrize("source", ESCAPES.values(), ids=list(ESCAPES))
def test_a_user_template_cannot_read_files_or_internals(
    workdir: Path, run: Run, source: str
) -> None:
    Path("README.md").write_text(f"# Mine\n\n{START}\nold\n{END}\n", encoding="utf-8")
    template = workdir / "evil.md.j2"
    template.write_text(source, encoding="utf-8")
    # Any command on the local tracker leaves its lock file and .gitignore (by design, git
    # stays clean): made here first, so that the comparison covers everything else.
    run("status", "--local")
    before = tree(workdir)
    result = run("render", "--local", "--template", str(template), expect=1)
    (line,) = result.err.splitlines()
    assert line.startswith("roadmap-sync: error: template"), line
    assert "root:" not in result.out + result.err
    assert "<class" not in result.out + result.err
    assert tree(workdir) == before
