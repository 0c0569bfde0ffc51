"""The GitHub Actions helpers: annotations, step outputs, the job summary and redaction."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from roadmap_sync.cli import github_actions as actions
from roadmap_sync.errors import Problem, RoadmapError, RoadmapSyncError
from roadmap_sync.model.load import loads
from roadmap_sync.report.progress import progress
from roadmap_sync.sync.apply import Summary
from roadmap_sync.trackers.base import RemoteIssue, Snapshot

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"GITHUB_ACTIONS": "true"}, True),
        ({"GITHUB_ACTIONS": "false"}, False),
        ({"GITHUB_ACTIONS": "1"}, False),
        ({}, False),
    ],
)
def test_in_actions(env: dict[str, str], expected: bool) -> None:
    assert actions.in_actions(env) is expected


# --- annotations ---------------------------------------------------------------------------


def test_annotation_with_location() -> None:
    line = actions.annotation("error", "unknown key", file="roadmap.yaml", line=12, col=5)
    assert line == "::error file=roadmap.yaml,line=12,col=5::unknown key"


@pytest.mark.parametrize("level", ["error", "warning", "notice"])
def test_annotation_without_properties(level: actions.Level) -> None:
    assert actions.annotation(level, "rate limited") == f"::{level}::rate limited"


def test_annotation_column_needs_a_line() -> None:
    # GitHub ignores col without line; leaving it out keeps the command honest.
    assert actions.annotation("warning", "m", file="a.yaml", col=3) == "::warning file=a.yaml::m"


@pytest.mark.parametrize(
    ("message", "escaped"),
    [
        ("100% done", "100%25 done"),
        ("two\nlines", "two%0Alines"),
        ("crlf\r\nend", "crlf%0D%0Aend"),
        ("%0A literally", "%250A literally"),  # an escape in the text is not decoded later
        ("key: value, more", "key: value, more"),  # ':' and ',' are safe in the message
        ("::warning::injected", "::warning::injected"),  # harmless once it is not at a BOL
    ],
)
def test_annotation_escapes_the_message(message: str, escaped: str) -> None:
    assert actions.annotation("error", message) == f"::error::{escaped}"


def test_annotation_escapes_property_values() -> None:
    line = actions.annotation(
        "error", "m", file="dir,with:odd%name\nx.yaml", line=1, col=2, title="a: b, c"
    )
    assert line == (
        "::error file=dir%2Cwith%3Aodd%25name%0Ax.yaml,line=1,col=2,title=a%3A b%2C c::m"
    )


def test_annotation_is_one_line_whatever_the_input() -> None:
    line = actions.annotation("error", "a\nb\r\nc", file="x\ny", line=1)
    assert "\n" not in line
    assert "\r" not in line


def test_annotation_rejects_an_unknown_level() -> None:
    with pytest.raises(ValueError, match="annotation level"):
        actions.annotation("fatal", "m")  # type: ignore[arg-type]


def test_error_annotations_locate_each_problem() -> None:
    exc = RoadmapError(
        [
            Problem("roadmap.yaml", 12, 5, "phases[0].topics[1]: 'kind' is not allowed"),
            Problem("roadmap.yaml", 30, 7, "duplicate id 'git'"),
        ]
    )
    assert actions.error_annotations(exc) == [
        "::error file=roadmap.yaml,line=12,col=5::phases[0].topics[1]: 'kind' is not allowed",
        "::error file=roadmap.yaml,line=30,col=7::duplicate id 'git'",
    ]


def test_error_annotations_are_capped() -> None:
    problems = [Problem("r.yaml", n, 1, "bad") for n in range(1, 200)]
    assert len(actions.error_annotations(RoadmapError(problems))) == actions.MAX_ANNOTATIONS


def test_error_annotations_of_other_errors_have_no_location() -> None:
    exc = RoadmapSyncError("no token for me/plan: set GITHUB_TOKEN\nor GH_TOKEN")
    assert actions.error_annotations(exc) == [
        "::error::no token for me/plan: set GITHUB_TOKEN%0Aor GH_TOKEN"
    ]


# --- outputs -------------------------------------------------------------------------------


def test_outputs_single_line(tmp_path: Path) -> None:
    out = tmp_path / "output"
    env = {"GITHUB_OUTPUT": str(out)}
    actions.write_outputs(env, {"percent": 42, "done": 35, "total": 83})
    assert out.read_text(encoding="utf-8") == "percent=42\ndone=35\ntotal=83\n"


def test_outputs_append_and_never_truncate(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.write_text("command=render\n", encoding="utf-8")
    actions.write_outputs({"GITHUB_OUTPUT": str(out)}, {"created": 3})
    actions.write_outputs({"GITHUB_OUTPUT": str(out)}, {"updated": "0"})
    assert out.read_text(encoding="utf-8") == "command=render\ncreated=3\nupdated=0\n"


def _parse_outputs(text: str) -> dict[str, str]:
    """Read a GITHUB_OUTPUT file the way the runner does (both forms)."""
    values: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            else:
                raise AssertionError(f"unterminated heredoc for {name}")
            values[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def test_outputs_multi_line_use_a_heredoc(tmp_path: Path) -> None:
    out = tmp_path / "output"
    value = "line one\nname=forged\nEOF\nlast"
    actions.write_outputs({"GITHUB_OUTPUT": str(out)}, {"plan": value, "percent": 7})
    text = out.read_text(encoding="utf-8")
    match = re.match(r"plan<<(ghadelimiter_[0-9a-f-]{36})\n", text)
    assert match, text
    delimiter = match.group(1)
    assert text == f"plan<<{delimiter}\n{value}\n{delimiter}\npercent=7\n"
    # The forged "name=forged" line stays inside the value.
    assert _parse_outputs(text) == {"plan": value, "percent": "7"}


def test_outputs_delimiters_differ_between_values(tmp_path: Path) -> None:
    out = tmp_path / "output"
    actions.write_outputs({"GITHUB_OUTPUT": str(out)}, {"a": "1\n2", "b": "3\n4"})
    delimiters = re.findall(r"<<(\S+)", out.read_text(encoding="utf-8"))
    assert len(set(delimiters)) == 2


def test_outputs_carriage_return_is_multi_line(tmp_path: Path) -> None:
    out = tmp_path / "output"
    actions.write_outputs({"GITHUB_OUTPUT": str(out)}, {"a": "x\ry"})
    assert out.read_text(encoding="utf-8").startswith("a<<ghadelimiter_")


def test_outputs_unicode_is_utf8(tmp_path: Path) -> None:
    out = tmp_path / "output"
    actions.write_outputs({"GITHUB_OUTPUT": str(out)}, {"title": "Phase 1 → Python — ✓"})
    assert out.read_bytes() == "title=Phase 1 → Python — ✓\n".encode()


@pytest.mark.parametrize("name", ["", "a=b", "a<<b", "two words", "new\nline", "1st"])
def test_outputs_reject_names_that_would_break_the_file(tmp_path: Path, name: str) -> None:
    out = tmp_path / "output"
    with pytest.raises(ValueError, match="output name"):
        actions.write_outputs({"GITHUB_OUTPUT": str(out)}, {name: "x"})
    assert not out.exists()


def test_outputs_outside_actions_write_nothing(tmp_path: Path) -> None:
    actions.write_outputs({}, {"percent": 1})
    actions.write_outputs({"GITHUB_OUTPUT": ""}, {"percent": 1})
    assert list(tmp_path.iterdir()) == []


# --- summary -------------------------------------------------------------------------------


def test_summary_appends_with_a_final_newline(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    actions.write_summary(env, "| a |\n|---|")
    actions.write_summary(env, "done ✓\n")
    assert summary.read_text(encoding="utf-8") == "# earlier step\n| a |\n|---|\ndone ✓\n"


def test_summary_outside_actions_writes_nothing(tmp_path: Path) -> None:
    actions.write_summary({}, "# nothing")
    assert list(tmp_path.iterdir()) == []


def _issue(number: int, item_id: str, state: str, reason: str | None = None) -> RemoteIssue:
    body = f"<!-- roadmap-sync:item={item_id} -->\nmanaged\n<!-- roadmap-sync:end -->"
    return RemoteIssue(
        number=number,
        title=item_id,
        body=body,
        state=state,
        state_reason=reason,
        labels=("roadmap",),
        milestone=None,
        created_at=T0,
        updated_at=T0,
        closed_at=T0 if state == "closed" else None,
    )


ROADMAP = """\
title: Learn | *everything*
phases:
  - name: Python <core>
    topics:
      - {id: a, title: A}
      - {id: b, title: B}
      - {id: c, title: C}
  - name: Git
    topics:
      - {id: d, title: D}
"""


def test_progress_outputs_and_summary() -> None:
    snap = Snapshot(
        labels=(),
        milestones=(),
        issues=(
            _issue(1, "a", "closed", "completed"),
            _issue(2, "b", "closed", "not_planned"),
            _issue(3, "c", "open"),
        ),
    )
    prog = progress(loads(ROADMAP), snap)
    assert actions.progress_outputs(prog) == {
        "percent": 33,
        "done": 1,
        "total": 4,
        "countable": 3,
    }
    text = actions.progress_summary(prog)
    # The fraction counts without the skipped item, as the percent beside it does.
    assert text.startswith("### Learn \\| \\*everything\\*: 1/3 · 33% · 1 skipped\n")
    assert "| Phase 1: Python \\<core\\> | `█████░░░░░` 50% | 1/2 | 0 | 1 | 1 |" in text
    assert "| Phase 2: Git | `░░░░░░░░░░` 0% | 0/1 | 0 | 0 | 1 |" in text
    assert "1 item has no issue yet" in text
    assert text.endswith("\n")


def test_sync_outputs() -> None:
    summary = Summary(created=3, updated=2, closed=1, reopened=0, unchanged=77)
    assert actions.sync_outputs(summary) == {
        "created": 3,
        "updated": 2,
        "closed": 1,
        "reopened": 0,
    }


# --- redact --------------------------------------------------------------------------------


def test_redact_hides_every_occurrence() -> None:
    text = "token ghp_abc123 in https://x-access-token:ghp_abc123@github.com"
    assert actions.redact(text, ["ghp_abc123"]) == (
        "token *** in https://x-access-token:***@github.com"
    )


def test_redact_longest_secret_first() -> None:
    # "abc" inside "abcdef" must not leave "def" in view.
    assert actions.redact("key=abcdef", ["abc", "abcdef"]) == "key=***"


def test_redact_ignores_empty_secrets() -> None:
    # An unset token is "", and replacing "" would put *** between every character.
    assert actions.redact("nothing secret", ["", "absent"]) == "nothing secret"
