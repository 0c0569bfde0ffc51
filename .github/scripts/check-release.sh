#!/usr/bin/env bash
# Check that a release tag names the package's version and that CHANGELOG.md has an entry for
# it, and write that entry out as the release notes. Run from anywhere inside the checkout:
#
#   TAG    the pushed tag, "v" and the version, e.g. v0.1.0      (default: $GITHUB_REF_NAME)
#   NOTES  file to write the changelog entry's text to                          (optional)
#
# The version is written in one place, roadmap_sync/__init__.py (setuptools reads it there):
# a tag that says otherwise would publish a wheel whose version is not the tag's.
set -euo pipefail

tag="${TAG:-${GITHUB_REF_NAME:-}}"
if [[ -z "$tag" ]]; then
  echo "check-release: set TAG (or GITHUB_REF_NAME) to the release tag" >&2
  exit 2
fi
top="$(git rev-parse --show-toplevel)" # a separate assignment, so set -e sees a failure
cd "$top"

# Read as text, not imported: the package's dependencies are not installed at this point.
version="$(sed -nE "s/^__version__ = ['\"]([^'\"]+)['\"][[:space:]]*$/\1/p" roadmap_sync/__init__.py)"
if [[ -z "$version" || "$version" == *$'\n'* ]]; then
  echo "::error::no single __version__ = \"X.Y.Z\" line in roadmap_sync/__init__.py" >&2
  exit 1
fi
if [[ "$tag" != "v$version" ]]; then
  echo "::error::the tag $tag is not v$version, the version in roadmap_sync/__init__.py" >&2
  exit 1
fi

# The entry: from its "## [X.Y.Z]" heading to the next heading or the link definitions,
# without the blank lines around it ($(...) drops the trailing ones).
notes="$(awk -v heading="## [$version]" '
  index($0, heading) == 1 { inside = 1; next }
  inside && (/^## / || /^\[[^]]+\]: /) { exit }
  inside && (started || NF) { started = 1; print }
' CHANGELOG.md)"
if [[ -z "${notes//[[:space:]]/}" ]]; then
  echo "::error::CHANGELOG.md has no entry \"## [$version]\" for this release" >&2
  exit 1
fi
if [[ -n "${NOTES:-}" ]]; then
  printf '%s\n' "$notes" >"$NOTES"
fi
echo "$tag is roadmap-sync $version, with its changelog entry"
