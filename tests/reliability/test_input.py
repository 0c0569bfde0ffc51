"""Bad input writes nothing: every roadmap of the corpus in tests/data/broken/ (plus a few made
at test time, like a 10 MB file) through ``sync``, ``plan`` and ``render``, against GitHub and
against the local tracker.

Each must exit 1 with a clear message: one line per problem, ``roadmap.yaml:LINE:COL: …``,
nothing unprintable or bidirectional in it, no traceback; send no request at all to GitHub;
and leave the checkout byte for byte as it was (README, badge, tracker, cache: nothing made,
nothing changed).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import Result, Run
from tests.fake_github import FakeGitHub
from tests.reliability.test_support import tree

CORPUS = Path(__file__).resolve().parents[1] / "data" / "broken"
# What each file's message must be about (a fragment of one of its lines), and how many
# problem lines at least: every problem of a file is reported at once.
EXPECTED: dict[str, tuple[str, int]] = {
    "billion-laughs.yaml": ("anchors and aliases (*name) are not supported", 1),
    "blank-values.yaml": ("must not be blank", 4),
    "comments-only.yaml": ("the roadmap is empty", 1),
    "confusable-ids.yaml": ("must be lower-case letters, digits and hyphens", 9),
    "deep-nesting-block.yaml": ("nested too deeply to be a roadmap", 1),
    "deep-nesting-flow.yaml": ("nested too deeply to be a roadmap", 1),
    "duplicate-ids.yaml": ("duplicate item id 'python-core'", 3),
    "duplicate-key-escapes.yaml": ("appears twice", 6),
    "duplicate-keys.yaml": ("key 'title' appears twice", 3),
    "empty.yaml": ("the roadmap is empty", 1),
    # Control characters written as YAML escapes ("\e", "\a", "\0", "\b") are as unprintable
    # as raw ones; the message names the character, as for a raw one.
    "escaped-controls.yaml": ("U+001B", 1),
    "keys-not-words.yaml": ("keys must be plain words", 4),
    "missing-everything.yaml": ("missing required key 'title'", 2),
    "multi-document.yaml": ("but found another document", 1),
    "non-core-tags.yaml": ("unsupported YAML tag", 5),
    "not-utf8.yaml": ("not UTF-8 text (byte 0xe9)", 1),
    "nul-byte.yaml": ("binary data (NUL byte)", 1),
    "python-object.yaml": ("unsupported YAML tag tag:yaml.org,2002:python/object/apply", 4),
    "scalar-only.yaml": ("the roadmap is text", 1),
    "syntax-bad-indent.yaml": ("YAML syntax error", 1),
    "syntax-unclosed-flow.yaml": ("YAML syntax error", 1),
    "tabs.yaml": ("indent with spaces, not tabs", 1),
    "tag-escapes.yaml": ("unsupported YAML tag", 2),
    "too-long.yaml": ("over the limit of 256", 4),
    "top-level-list.yaml": ("the roadmap is a list", 1),
    "unprintable.yaml": ("unprintable character U+0007", 1),
    "utf16.yaml": ("not UTF-8 text", 1),
    "wrong-item-types.yaml": ("is not a real date", 8),
    "wrong-types.yaml": ("phases: must be a list", 4),
}
GENERATED = ("ten-megabytes.yaml", "over-fifty-problems.yaml", "a-directory")
COMMANDS = ("sync", "plan", "render")
PROBLEM = re.compile(r"roadmap\.yaml:[1-9]\d*:[1-9]\d*: \S.*")
MORE = re.compile(r"\.\.\. and \d+ more problems \(fix these first\)")
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
README = "# My roadmap\n\n<!-- roadmap-sync:start -->\nold\n<!-- roadmap-sync:end -->\n\nNotes.\n"


def test_the_corpus_is_the_one_described() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


def generated(name: str, folder: Path) -> None:
    """Inputs too big or too odd to commit."""
    path = folder / "roadmap.yaml"
    if name == "ten-megabytes.yaml":
        line = "      - title: " + "x" * 80 + "\n"
        body = "title: Big\nphases:\n  - name: One\n    topics:\n"
        path.write_text(body + line * (10 * 1024 * 1024 // len(line)), encoding="utf-8")
    elif name == "over-fifty-problems.yaml":
        items = "".join(f"      - id: Bad-{n}\n        title: T{n}\n" for n in range(80))
        path.write_text(f"title: Many\nphases:\n  - name: One\n    topics:\n{items}", "utf-8")
    else:
        path.mkdir()


GENERATED_EXPECTED = {
    "ten-megabytes.yaml": ("file is over the 5 MiB a roadmap may have", 1),
    "over-fifty-problems.yaml": ("must be lower-case letters", 50),
    "a-directory": ("is a directory", 1),
}


def assert_clear_problems(result: Result, fragment: str, at_least: int) -> None:
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.out == ""
    lines = result.err.split("\n")
    assert lines[-1] == "", "stderr does not end with a newline"
    lines = lines[:-1]
    if lines and MORE.fullmatch(lines[-1]):
        lines = lines[:-1]
        assert len(lines) == 50
    assert len(lines) >= at_least, result.err
    for line in lines:
        assert PROBLEM.fullmatch(line), f"not one problem on one line: {line!r}"
        bad = [c for c in line if unicodedata.category(c) == "Cc" or c in BIDI]
        assert not bad, f"unprintable characters in the message: {bad!r} in {line!r}"
    assert any(fragment in line for line in lines), f"{fragment!r} not in {lines!r}"


def prepare(folder: Path, name: str) -> tuple[str, int]:
    (folder / "roadmap.yaml").unlink()
    (folder / "README.md").write_text(README, encoding="utf-8")
    if name in EXPECTED:
        (folder / "roadmap.yaml").write_bytes((CORPUS / name).read_bytes())
        return EXPECTED[name]
    generated(name, folder)
    return GENERATED_EXPECTED[name]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", [*EXPECTED, *GENERATED])
def test_broken_roadmap_on_github_sends_nothing_and_writes_nothing(
    github_env: Path, fake_github: FakeGitHub, run: Run, name: str, command: str
) -> None:
    fragment, at_least = prepare(github_env, name)
    before = tree(github_env)
    result = run(command, "-v", expect=None)
    assert_clear_problems(result, fragment, at_least)
    assert fake_github.requests == [], "a request went to GitHub"
    assert tree(github_env) == before


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", [*EXPECTED, *GENERATED])
def test_broken_roadmap_on_the_local_tracker_writes_nothing(
    workdir: Path, run: Run, name: str, command: str
) -> None:
    fragment, at_least = prepare(workdir, name)
    tracker = workdir / ".roadmap-sync"
    tracker.mkdir()
    (tracker / "tracker.json").write_text('{"format": 1}\n', encoding="utf-8")
    before = tree(workdir)
    result = run(command, "--local", expect=None)
    assert_clear_problems(result, fragment, at_least)
    assert tree(workdir) == before


def test_python_tags_run_nothing(workdir: Path, run: Run) -> None:
    prepare(workdir, "python-object.yaml")
    run("validate", expect=1)
    assert not (workdir / "pwned").exists()
