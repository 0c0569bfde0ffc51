"""The README section: content, escaping (checked through GitHub's cmark-gfm), the sandbox,
splicing between the markers byte for byte, and the atomic write."""

from __future__ import annotations

import html
import os
import re
import stat
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import cmarkgfm
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_sync.errors import RoadmapSyncError
from roadmap_sync.files import write_atomic
from roadmap_sync.model.load import load
from roadmap_sync.model.roadmap import Item, Kind, Phase, Roadmap
from roadmap_sync.report.progress import Progress, progress
from roadmap_sync.report.readme import END, START, render_section, splice
from roadmap_sync.report.text import escape_markdown
from roadmap_sync.trackers.base import RemoteIssue, Snapshot

ROADMAP = Path(__file__).resolve().parents[1] / "roadmap.yaml"
T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
URL = "https://github.com/me/plan/issues/{}"
HOSTILE = "A | B <script>x</script> <!-- --> [z](javascript:y) @octocat #12 https://evil.example"
# Tags the section itself produces; raw HTML from user text would show up as anything else
# (the tagfilter extension is left out on purpose, so nothing hides it).
TAGS = {"h2", "h3", "p", "strong", "em", "code", "img", "blockquote", "table", "thead", "tbody"}
TAGS |= {"tr", "th", "td", "ul", "li", "input", "a", "del", "details", "summary", "b"}


def to_html(markdown: str) -> str:
    """GitHub's Markdown engine with its extensions, raw HTML let through."""
    return cmarkgfm.markdown_to_html_with_extensions(
        markdown,
        options=cmarkgfm.Options.CMARK_OPT_UNSAFE,
        extensions=["table", "tasklist", "autolink", "strikethrough"],
    )


def issue(
    number: int,
    item: Item,
    state: str = "open",
    reason: str | None = None,
    labels: tuple[str, ...] = ("roadmap",),
    url: str | None = None,
) -> RemoteIssue:
    body = f"<!-- roadmap-sync:item={item.id} -->\nmanaged\n<!-- roadmap-sync:end -->"
    link = URL.format(number) if url is None else url
    return RemoteIssue(number, item.title, body, state, reason, labels, None, T0, T0, url=link)


# Issue numbers follow the items: phase 1 holds #1-#13, phase 2 #14-#25.
DONE = {1, 2, 3, *range(14, 21)}
SKIPPED, STARTED = 4, 5


@cache
def acceptance() -> Progress:
    """The shipped 83-item roadmap: 10 done (3 in phase 1), 1 skipped, 1 in progress."""
    roadmap = load(ROADMAP)
    issues = []
    for number, item in enumerate(roadmap.items, 1):
        if number in DONE:
            issues.append(issue(number, item, "closed", "completed"))
        elif number == SKIPPED:
            issues.append(issue(number, item, "closed", "not_planned"))
        elif number == STARTED:
            issues.append(issue(number, item, labels=("roadmap", "in progress")))
        else:
            issues.append(issue(number, item))
    return progress(roadmap, Snapshot((), (), tuple(issues)))


def test_acceptance_section() -> None:
    state = acceptance()
    items = state.roadmap.items
    assert len(items) == 83
    section = render_section(state)
    lines = section.splitlines()
    assert lines[0] == START
    assert lines[-1] == END
    assert "## Unified AI Career Roadmap" in lines
    assert "**Goal:** Move from ML Engineer → AI Architect → AI Researcher" in lines
    assert "![roadmap progress](.github/badges/progress.svg)" in lines
    assert "`██░░░░░░░░░░░░░░░░░░` **10/82 · 12%** done · 1 in progress · 1 skipped" in lines
    assert (
        "- [x] [Python: functions, OOP, decorators, lambdas, exceptions](" + URL.format(1) + ")"
        in lines
    )
    checked = [line for line in lines if line.startswith("- [x] ")]
    assert len(checked) == 10
    settled = DONE | {SKIPPED}
    by_id = {item.id: (number, item) for number, item in enumerate(items, 1)}
    for number, item in enumerate(items, 1):
        link = f"[{escape_markdown(item.title)}]({URL.format(number)})"
        # An open item says how many of its tasks are ticked, and what it waits for.
        waiting = [
            escape_markdown(by_id[need][1].title)
            for need in item.needs
            if by_id[need][0] not in settled
        ]
        tail = f" · 0/{len(item.tasks)} tasks"
        tail += f" · ⏳ waits for {', '.join(waiting)}" if waiting else ""
        if number == SKIPPED:
            assert f"- [ ] ~~{link}~~ skipped" in lines
        elif number == STARTED:
            assert f"- [ ] {link} 🚧 in progress{tail}" in lines
        elif number in DONE:
            assert f"- [x] {link}" in lines
        else:
            assert f"- [ ] {link}{tail}" in lines
    row = "| Phase 1: Foundations | Code, math, data | Solid technical base | "
    assert row + "3/12 · 25% · 1 skipped |" in lines
    row = "| Phase 2: Machine Learning Essentials | Classical ML models | "
    assert row + "Build & ship first ML systems | 7/12 · 58% |" in lines
    assert "### Phase 1: Foundations — Build the Bedrock" in lines
    first = [(n, item) for n, item in enumerate(items, 1) if n <= 13]  # phase 1's items
    ticked = sum(len(item.tasks) for n, item in first if n in DONE)  # a done item: all ticked
    tasks = sum(len(item.tasks) for n, item in first if n != SKIPPED)
    progress_line = "`██░░░░░░░░` 3/12 · 25% · 1 in progress · 1 skipped"
    assert f"{progress_line} · {ticked}/{tasks} tasks ticked" in lines
    next_up = section.split("### Next up\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert (
        next_up[0] == f"- [Basic Linux CLI & scripting]({URL.format(5)}) · Phase 1 · 🚧 in progress"
    )
    assert [line.split("](")[1].split(")")[0] for line in next_up] == [
        URL.format(n)
        for n in (5, 6, 8, 9, 13)  # 7, 10, 11, 12 wait for their needs
    ]
    assert "no issue yet" not in section
    assert "<details>" not in section  # no phase is complete

    page = to_html(section)
    assert page.count('<input type="checkbox" checked="" disabled="" />') == 10
    assert page.count('<input type="checkbox" disabled="" />') == 73
    assert page.count("<a href=") == 83 + 5  # every issue once, and the five "Next up"
    assert f'<a href="{URL.format(83)}">' in page
    assert page.count("<table>") == 1
    assert page.count("<tr>") == 8
    assert page.count("<del>") == 1


def test_rendering_is_deterministic_across_processes() -> None:
    # Two processes with different hash seeds: set and dict order, ids and anything else
    # seeded per process differ between them, as between two runs of the workflow.
    script = (
        "import sys; from tests.test_render import acceptance; "
        "from roadmap_sync.report.readme import render_section; "
        "sys.stdout.buffer.write(render_section(acceptance()).encode())"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROADMAP.parent,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1] == render_section(acceptance()).encode()


# Closing days of the done issues (#1-#3, #14-#20), in January and February 2024.
CLOSED = dict(zip(sorted(DONE), (3, 5, 12, 13, 20, 33, 34, 36, 48, 50), strict=True))


def dated(*, drop: int | None = None, reverse: bool = False) -> Progress:
    """The acceptance state with closing times on the closed issues (the skipped one too,
    which must not count); ``drop`` leaves one issue out, ``reverse`` reorders them."""
    state = acceptance()
    issues = []
    for number, item in enumerate(state.roadmap.items, 1):
        if number == drop:
            continue
        if number in DONE:
            when = datetime(2024, 1, 1, 18, tzinfo=timezone.utc) + timedelta(CLOSED[number] - 1)
            issues.append(replace(issue(number, item, "closed", "completed"), closed_at=when))
        elif number == SKIPPED:
            issues.append(replace(issue(number, item, "closed", "not_planned"), closed_at=T0))
        elif number == STARTED:
            issues.append(issue(number, item, labels=("roadmap", "in progress")))
        else:
            issues.append(issue(number, item))
    if reverse:
        issues.reverse()
    return progress(state.roadmap, Snapshot((), (), tuple(issues)))


BURNUP_LINES = [
    "`██░░░░░░░░░░░░░░░░░░` **10/82 · 12%** done · 1 in progress · 1 skipped",
    "",
    # The 28 days up to 19 February (the latest completion) hold 5 of them: 1.25 a week,
    # shown as 1.3; 72 remaining × 28 / 5 = 403.2, so 404 days later.
    "At 1.3 items/week: done around 2025-03-29.",
    "",
    "```mermaid",
    "xychart-beta",
    '    title "Burn-up: items done by week"',
    '    x-axis ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29", '
    '"2024-02-05", "2024-02-12", "2024-02-19"]',
    '    y-axis "Items done" 0 --> 82',
    "    line [2, 4, 5, 5, 7, 8, 9, 10]",
    "```",
    "",
]


def test_pace_and_burnup_follow_the_overall_line() -> None:
    lines = render_section(dated()).splitlines()
    start = lines.index(BURNUP_LINES[0])
    assert lines[start : start + len(BURNUP_LINES) + 1] == [
        *BURNUP_LINES,
        "| Phase | Focus | Outcome | Progress |",
    ]
    lines = render_section(dated(drop=83)).splitlines()
    start = lines.index(BURNUP_LINES[0])  # item 83 still counts, with no issue
    assert lines[start + len(BURNUP_LINES) - 2 :][:4] == [
        "```",
        "",
        "> ⚠️ 1 item has no issue yet: run `roadmap-sync sync`.",
        "",
    ]


def test_nothing_done_with_a_date_draws_nothing() -> None:
    section = render_section(acceptance())  # done, but with no closed_at to place in time
    assert "```" not in section
    assert "items/week" not in section


def test_burnup_is_the_same_for_the_same_state() -> None:
    first = render_section(dated())
    assert render_section(dated(reverse=True)) == first
    assert render_section(dated()) == first


def test_burnup_on_github() -> None:
    section = render_section(dated())
    page = to_html(section)
    assert (page.count(START), page.count(END)) == (1, 1)
    assert '<pre><code class="language-mermaid">xychart-beta\n' in page
    github = cmarkgfm.markdown_to_html_with_extensions(
        section,
        options=cmarkgfm.Options.CMARK_OPT_UNSAFE | cmarkgfm.Options.CMARK_OPT_GITHUB_PRE_LANG,
        extensions=["table", "tasklist", "autolink", "strikethrough"],
    )
    assert (github.count(START), github.count(END)) == (1, 1)
    assert github.count('<pre lang="mermaid"><code>xychart-beta\n') == 1
    assert "<p>At 1.3 items/week: done around 2025-03-29.</p>" in github
    # The fenced block inside the section does not confuse the markers when splicing.
    readme, notice = splice(f"# Me\n\n{START}\nold\n{END}\n\nafter\n", section)
    assert notice is None
    assert readme == f"# Me\n\n{section}\nafter\n"
    assert splice(readme, section) == (readme, None)


def test_user_template_gets_pace_and_burnup() -> None:
    template = "{{ pace }}|{{ burnup.splitlines()[1] }}|{{ burnup.splitlines() | length }}"
    section = render_section(dated(), template=template)
    assert section == (
        f"{START}\nAt 1.3 items/week: done around 2025-03-29.|xychart-beta|7\n\n{END}\n"
    )


def test_complete_phase_is_folded() -> None:
    roadmap = Roadmap(
        "R", (Phase("p", 1, "Done & dusted", "All <good>", topics=(Item("a", "A", Kind.TOPIC),)),)
    )
    section = render_section(
        progress(roadmap, Snapshot((), (), (issue(1, roadmap.items[0], "closed"),)))
    )
    summary = "<summary><b>Phase 1: Done &amp; dusted — All &lt;good&gt;</b> · 1/1 · 100% ✅"
    assert summary + "</summary>\n\n**Topics**" in section
    assert f"- [x] [A]({URL.format(1)})\n\n</details>" in section
    page = to_html(section)
    assert re.search(
        r"<details>\n<summary>.*</summary>\n<p><strong>Topics</strong></p>\n<ul>\n<li><input", page
    )


def test_local_tracker_and_missing_issues() -> None:
    items = (Item("a", "Has a local issue", Kind.TOPIC), Item("b", "Odd URL", Kind.TOPIC))
    items += (Item("c", "No issue", Kind.PROJECT), Item("d", "Also none", Kind.PROJECT))
    roadmap = Roadmap("R", (Phase("p", 1, "P", topics=items[:2], projects=items[2:]),))
    local = issue(3, items[0], "closed", "not_planned", url="")
    odd = issue(4, items[1], url="javascript:alert(1)")  # only http(s) URLs become links
    section = render_section(progress(roadmap, Snapshot((), (), (local, odd))), badge=None)
    assert "- [ ] ~~Has a local issue `#3`~~ skipped" in section
    assert "- [ ] Odd URL `#4`" in section
    assert "- [ ] No issue _(no issue yet)_" in section
    assert "> ⚠️ 2 items have no issue yet: run `roadmap-sync sync`." in section
    assert "![" not in section
    assert "<a " not in to_html(section)


def render_texts(title: str, other: str) -> str:
    """Render a roadmap holding these texts in every user field, check that the HTML is
    inert, and return it. Phase 1 is open (a heading), phase 2 complete (a <summary>)."""
    item = Item("a", title, Kind.TOPIC)
    folded = Item("b", other, Kind.PROJECT)
    roadmap = Roadmap(
        other,
        (
            Phase("p", 1, title, other, title, other, topics=(item,)),
            Phase("q", 2, other, title, other, title, projects=(folded,)),
        ),
        goal=title,
    )
    snap = Snapshot((), (), (issue(1, item), issue(2, folded, "closed")))
    section = render_section(progress(roadmap, snap))
    assert (section.count(START), section.count(END)) == (1, 1)
    page = to_html(section)
    # Issue 1, still open, also heads the "Next up" list above the phases.
    check_inert(page, [URL.format(1), URL.format(1), URL.format(2)])
    return page


def check_inert(page: str, links: list[str]) -> None:
    """Only the section's own tags, comments and links; no cross-links, mentions, autolinks."""
    assert "<script" not in page
    assert {name.lower() for name in re.findall(r"</?([A-Za-z][A-Za-z0-9]*)", page)} <= TAGS
    assert page.count("<!--") == 3  # start, the generated-by note, end
    assert re.findall(r'<a href="([^"]*)"', page) == links
    assert page.count("<a ") == len(links)
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        assert len(re.findall(r"<t[dh][ >]", row)) == 4
    text = html.unescape(re.sub(r"<[^>]*>", "", page))
    for pattern in (r"@[A-Za-z0-9]", r"#\d", r"://", r"(?i)www\.", r"(?i)GH-\d"):
        assert not re.search(pattern, text), pattern


def link_text(page: str, number: int) -> str:
    found = re.search(rf'<a href="{URL.format(number)}">(.*?)</a>', page, re.S)
    assert found
    return html.unescape(found.group(1))


def test_escape_markdown_keeps_text_on_one_line_and_inert() -> None:
    assert escape_markdown(" a\nb\r\nc\u2028d\t\x00e \u202ef ") == "a b c d e f"
    assert escape_markdown("@me #1 gh-2 http://x WWW.y <!-- x -->") == (
        "@\u200dme \\#\u200d1 gh\u200d-2 http:\u200d//x WWW\u200d.y \\<!\u200d-- x -\u200d-\\>"
    )
    assert escape_markdown("A & B &amp; *c* [d] `e` |f| ~g~ $h$ \\") == (
        "A & B \\&amp; \\*c\\* \\[d\\] \\`e\\` \\|f\\| \\~g\\~ \\$h\\$ \\\\"
    )


def test_hostile_text_is_inert() -> None:
    page = render_texts(HOSTILE, HOSTILE)
    assert link_text(page, 1).replace("\u200d", "") == HOSTILE  # reads the same, does nothing


_CHARS = "\\`*_[]<>|&~#$!():/@-.= \t\n\r\x00\x1b\u202e\u2066\u200e"
_WORDS = "<script> </b> <!-- --> ]( javascript: https://x.y www.x.y a@b.co mailto: #1 GH-1 &amp;"
_WORDS += " &#60; 1. --- ~~~ ``` <img [x]: gh-1 WwW.x"
FRAGMENTS = st.sampled_from([*_CHARS, *_WORDS.split(), START, END, "- [ ] ", "    ", "\r\n"])
TITLES = st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), min_size=1, max_size=12).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TITLES, other=TITLES)
def test_generated_titles_stay_inert(title: str, other: str) -> None:
    page = render_texts(title, other)
    # Nothing of the title is lost: its letters and digits all come out, in order.
    letters = [c for c in title if c.isalnum()]
    assert not letters or [c for c in link_text(page, 1) if c.isalnum()] == letters


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "template: access to attribute '__class__' of 'str'"),
        (
            "{{ progress.roadmap.phase_of.__globals__ }}",
            "template: access to attribute '__globals__'",
        ),
        ("{{ progress._statuses() }}", "template: access to attribute '_statuses'"),
        ("{{ nothing }}", "template: 'nothing' is undefined"),
        ("{% if %}", "template line 1: "),
        ("{{ 1 / 0 }}", "template: ZeroDivisionError: division by zero"),
        ("x\n" + END, "template output line 2 holds a roadmap-sync marker"),
    ],
)
def test_user_template_errors(template: str, message: str) -> None:
    with pytest.raises(RoadmapSyncError) as caught:
        render_section(acceptance(), template=template)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_user_template_is_wrapped_in_markers() -> None:
    section = render_section(
        acceptance(), template="{{ progress.percent }}% of {{ roadmap.title | md }}\r\n"
    )
    assert section == f"{START}\n12% of Unified AI Career Roadmap\n\n{END}\n"


SECTION = f"{START}\nnew *section*\n\n{END}\n"


def test_splice_replaces_only_the_section_crlf() -> None:
    readme = f"# Title  \r\n\r\nintro\t\r\n{START}\r\nold\r\n{END}\r\ntail  \r\nno newline"
    result, notice = splice(readme, SECTION)
    assert notice is None
    assert result == (
        f"# Title  \r\n\r\nintro\t\r\n{START}\r\nnew *section*\r\n\r\n{END}\r\ntail  \r\nno newline"
    )
    assert splice(result, SECTION) == (result, None)


def test_splice_markers_at_the_edges() -> None:
    assert splice(f"{START}\n{END}", SECTION) == (SECTION.rstrip("\n"), None)
    assert splice(f"\ufeff{START}\n{END}\n", SECTION) == ("\ufeff" + SECTION, None)
    assert splice(f"  {START}  \nold\n{END}\t\n", SECTION) == (SECTION, None)


@pytest.mark.parametrize(
    ("readme", "expected"),
    [
        ("", SECTION),
        ("# Me\n", f"# Me\n\n{SECTION}"),
        ("# Me\n\n", f"# Me\n\n{SECTION}"),
        ("# Me", f"# Me\n\n{SECTION.rstrip()}"),
        ("# Me\r\nhi\r\n", "# Me\r\nhi\r\n\r\n" + SECTION.replace("\n", "\r\n")),
    ],
)
def test_splice_without_markers_appends(readme: str, expected: str) -> None:
    result, notice = splice(readme, SECTION)
    assert result == expected
    assert notice == "README.md had no roadmap-sync markers: the section was appended at the end"


def test_splice_missing_readme_is_the_section() -> None:
    assert splice(None, SECTION) == (SECTION, None)


@pytest.mark.parametrize(
    ("readme", "message"),
    [
        (f"{START}\n{START}\n{END}\n", "README.md: the start marker is on lines 1, 2; keep one"),
        (f"{START}\n{END}\nx\n{END}\n", "README.md: the end marker is on lines 2, 4; keep one"),
        (
            f"a\n{END}\n{START}\n",
            "README.md: the end marker (line 2) comes before the start marker (line 3); swap them",
        ),
        (f"a\nb\n{START}\n", f"README.md: line 3: the start marker has no end marker; add {END}"),
        (f"{END}\n", f"README.md: line 1: the end marker has no start marker; add {START}"),
    ],
)
def test_splice_rejects_broken_markers(readme: str, message: str) -> None:
    with pytest.raises(RoadmapSyncError) as caught:
        splice(readme, SECTION)
    assert str(caught.value).startswith(message)


DOCUMENTED = f"""# Tool

Put these lines in your README:

```markdown
{START}
{END}
```

~~~~
{END}
~~~
still code: a shorter fence does not close it
{START}
~~~~~

  ````
{START}
```
{END}
  ````

    {START}

\t{END}

Progress:

{START}
old
{END}
"""


def test_markers_in_code_blocks_are_documentation() -> None:
    result, notice = splice(DOCUMENTED, SECTION)
    assert notice is None
    assert result == DOCUMENTED.replace(f"{START}\nold\n{END}\n", SECTION)


def test_markers_only_in_code_blocks_means_none() -> None:
    readme = DOCUMENTED.split("Progress:")[0]
    result, notice = splice(readme, SECTION)
    assert result == readme + SECTION
    assert notice


def test_backticks_in_the_info_string_do_not_open_a_fence() -> None:
    readme = f"``` not `a fence`\n{START}\nold\n{END}\n"
    assert splice(readme, SECTION)[0] == "``` not `a fence`\n" + SECTION


def test_an_unclosed_fence_refuses_to_write() -> None:
    with pytest.raises(RoadmapSyncError, match="code fence"):
        splice(f"```\nforgot to close\n\n{START}\nold\n{END}\n", SECTION)


def test_a_section_that_breaks_the_readme_is_refused() -> None:
    with pytest.raises(RoadmapSyncError, match="could not be placed safely"):
        splice(f"{START}\n{END}\n", f"{START}\n```\n{END}\n")


# Hypothesis: READMEs built from pieces, so the text around the markers is known exactly.
NOT_SPECIAL = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=12).filter(
    lambda s: "roadmap-sync" not in s and not s.lstrip(" ").startswith(("```", "~~~"))
)
MARKERLIKE = st.sampled_from(
    [START, END, f" {START}", f"{END} ", f"`{START}`", "<!-- roadmap-sync"]
)


@st.composite
def blocks(draw: st.DrawFn) -> list[str]:
    """A text line, a blank line, or a code block holding marker lines."""
    kind = draw(st.sampled_from(["text", "blank", "fence", "indented"]))
    if kind == "text":
        return [draw(st.one_of(NOT_SPECIAL, st.just(f"say `{START}` inline")))]
    if kind == "blank":
        return [draw(st.sampled_from(["", "  ", "\t"]))]
    inner = draw(st.lists(st.one_of(MARKERLIKE, NOT_SPECIAL), min_size=1, max_size=3))
    if kind == "indented":
        return ["", *(draw(st.sampled_from(["    ", "\t", "     "])) + line for line in inner), ""]
    char = draw(st.sampled_from("`~"))
    size = draw(st.integers(3, 5))
    opening = (
        " " * draw(st.integers(0, 3)) + char * size + draw(st.sampled_from(["", "md", " x y"]))
    )
    shorter_or_other = draw(st.sampled_from([char * (size - 1), ("~" if char == "`" else "`") * 3]))
    closing = " " * draw(st.integers(0, 3)) + char * draw(st.integers(size, size + 2))
    return [opening, *inner, shorter_or_other, *inner, closing + draw(st.sampled_from(["", " "]))]


PIECES = st.lists(blocks(), max_size=5).map(lambda bs: [line for b in bs for line in b])


@settings(max_examples=300, deadline=None)
@given(
    before=PIECES,
    old=PIECES,
    after=PIECES,
    newline=st.sampled_from(["\n", "\r\n"]),
    final=st.booleans(),
    start=st.sampled_from([START, f"   {START}", f"{START} \t"]),
    end=st.sampled_from([END, f" {END}", f"{END}  "]),
)
def test_splice_keeps_everything_outside(
    before: list[str],
    old: list[str],
    after: list[str],
    newline: str,
    final: bool,
    start: str,
    end: str,
) -> None:
    prefix = "".join(line + newline for line in before)
    suffix = "".join(newline + line for line in after) + (newline if final else "")
    readme = prefix + newline.join([start, *old, end]) + suffix
    result, notice = splice(readme, SECTION)
    assert notice is None
    assert result == prefix + SECTION.rstrip("\n").replace("\n", newline) + suffix
    assert splice(result, SECTION) == (result, None)


@settings(max_examples=200, deadline=None)
@given(lines=PIECES, newline=st.sampled_from(["\n", "\r\n"]), final=st.booleans())
def test_splice_without_real_markers_appends(lines: list[str], newline: str, final: bool) -> None:
    readme = newline.join(lines) + (newline if final and lines else "")
    result, notice = splice(readme, SECTION)
    assert notice
    assert result.startswith(readme)
    newline = newline if "\n" in readme else "\n"  # a one-line README has no style to keep
    assert result.removeprefix(readme).strip("\r\n") == SECTION.strip("\n").replace("\n", newline)
    assert splice(result, SECTION) == (result, None)


def test_write_atomic(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "deep" / "README.md"
    assert write_atomic(target, "a\r\nb") is True
    assert target.read_bytes() == b"a\r\nb"
    target.chmod(0o640)
    assert write_atomic(target, b"a\r\nb") is False
    assert write_atomic(target, "é\n") is True
    assert target.read_bytes() == "é\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["README.md"]


def test_write_atomic_follows_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_bytes(b"old")
    link = tmp_path / "README.md"
    link.symlink_to(real)
    assert write_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_write_atomic_reports_os_errors(tmp_path: Path) -> None:
    (tmp_path / "README.md").mkdir()
    with pytest.raises(RoadmapSyncError, match=r"README.md: cannot write: Is a directory"):
        write_atomic(tmp_path / "README.md", "x")
