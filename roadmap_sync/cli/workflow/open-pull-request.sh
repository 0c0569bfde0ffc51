#!/usr/bin/env bash
# Open the pull request that proposes PR_BRANCH's progress, or update it if one is open.
#
# Run after commit-progress.sh in MODE=pull-request said proposed=true. Everything comes from
# the environment, like commit-progress.sh:
#
#   TITLE        the pull request's title: the progress commit's message            (required)
#   GH_TOKEN     a token that may write pull requests; gh reads it itself           (required)
#   REPO         OWNER/NAME                                  (default: $GITHUB_REPOSITORY)
#   BASE         the branch the pull request goes into         (default: $GITHUB_REF_NAME)
#   PR_BRANCH    the branch that holds the proposal      (default: roadmap-sync/progress)
#
# Step outputs (when GITHUB_OUTPUT is set): action=created|updated, number, url.
#
# One pull request for the branch, never a second: an open one is updated in place (its title
# carries the new percent; the branch under it was already force-pushed); a new one is opened
# only when none is open, i.e. once the previous one was merged or closed. GitHub itself
# refuses a second open pull request for the same head and base, and the workflow runs one
# job at a time (its concurrency group), so two runs cannot both open one.
#
# The gh CLI rather than an action such as peter-evans/create-pull-request: that action builds
# and pushes the branch itself, and its documentation recommends `gh pr create` for a branch
# that already exists; here commit-progress.sh owns the branch (and is tested against a real
# repository), so this step needs nothing but the right to write pull requests.
set -euo pipefail

: "${TITLE:?TITLE is required (the progress commit message)}"
if [[ -z "${GH_TOKEN:+set}" ]]; then
  echo "open-pull-request: GH_TOKEN is required" >&2
  exit 2
fi
repo="${REPO:-${GITHUB_REPOSITORY:-}}"
base="${BASE:-${GITHUB_REF_NAME:-}}"
if [[ -z "$repo" || -z "$base" ]]; then
  echo "open-pull-request: set REPO and BASE (or GITHUB_REPOSITORY and GITHUB_REF_NAME)" >&2
  exit 2
fi
pr_branch="${PR_BRANCH:-roadmap-sync/progress}"

body="The progress of the roadmap, rendered by roadmap-sync from its issues: the README section \
and the badges.

Merge it to publish the progress on \`$base\`. Every run rebuilds \`$pr_branch\` as one commit \
on the latest \`$base\` and updates this pull request in place; once it is merged or closed, \
the next change opens a new one."

output() {
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    echo "$1" >>"$GITHUB_OUTPUT"
  fi
}

# "NUMBER URL" of the open pull request from the branch, or nothing.
open="$(gh pr list --repo "$repo" --head "$pr_branch" --base "$base" --state open \
  --json number,url --jq '.[0] | select(.) | "\(.number) \(.url)"')"

if [[ -n "$open" ]]; then
  read -r number url <<<"$open"
  gh pr edit "$number" --repo "$repo" --title "$TITLE" --body "$body" >/dev/null
  echo "updated pull request #$number: $TITLE"
  output "action=updated"
else
  errors="$(mktemp)"
  trap 'rm -f "$errors"' EXIT
  if ! url="$(gh pr create --repo "$repo" --base "$base" --head "$pr_branch" \
    --title "$TITLE" --body "$body" 2>"$errors")"; then
    cat "$errors" >&2
    if grep -q "not permitted to create or approve pull requests" "$errors"; then
      echo "::error::allow it under Settings → Actions → General → Workflow permissions: \
\"Allow GitHub Actions to create and approve pull requests\"" >&2
    fi
    exit 1
  fi
  number="${url##*/}"
  echo "opened pull request #$number: $TITLE"
  output "action=created"
fi
output "number=$number"
output "url=$url"
