"""Reading Markdown the way GitHub does where it matters to us: which lines are code.

A marker, a checklist item or a heading inside a fenced code block is an example, not the
real thing. Issue bodies, the README and imported roadmaps are all scanned with this one
rule (CommonMark's fences), so the three never disagree about what is code.
"""

from __future__ import annotations

import re

# Up to three spaces, then three or more backticks or tildes, then the info string.
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")


class Fences:
    """Follows fenced code blocks through a text, one line (without its line ending) at a
    time."""

    def __init__(self) -> None:
        self._open = ""

    def code(self, line: str) -> bool:
        """Whether this line belongs to a fenced code block, its fence lines included."""
        match = _FENCE.fullmatch(line)
        if self._open:
            # A closing fence: the same character, at least as long, and nothing after it.
            if match and self._closes(match):
                self._open = ""
            return True
        # A backtick fence's info string may not hold a backtick (that is inline code).
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            self._open = match.group(1)
            return True
        return False

    def _closes(self, match: re.Match[str]) -> bool:
        chars, rest = match.group(1), match.group(2)
        return chars[0] == self._open[0] and len(chars) >= len(self._open) and not rest.strip(" \t")
