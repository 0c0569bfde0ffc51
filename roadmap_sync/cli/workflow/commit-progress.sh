#!/usr/bin/env bash
# Commit the rendered progress (README section and badge), only if it changed, and push it:
# to the branch itself (MODE=push) or to a branch of its own for a pull request
# (MODE=pull-request).
#
# Run from inside the checkout, after `roadmap-sync render`. Everything comes from the
# environment, so the workflow, the composite action and tests/test_workflow.py all drive it
# the same way:
#
#   PERCENT, DONE, TOTAL  render's outputs (TOTAL: the countable items, skipped ones left
#                         out); the message is "roadmap: 35/82 · 42%"            (required)
#   MODE                  push or pull-request                             (default: push)
#   BRANCH                push: the branch to push to; pull-request: the branch the pull
#                         request goes into                  (default: $GITHUB_REF_NAME)
#   PR_BRANCH             pull-request: the branch that holds the proposal
#                                                       (default: roadmap-sync/progress)
#   COMMIT_PATHS          space-separated paths to commit  (default: "README.md .github/badges")
#   RENDER                shell command that re-renders after a reset to the remote (optional;
#                         without it a conflicting concurrent change fails the job instead)
#   REMOTE                where to fetch from and push to  (default: this repository on
#                         $GITHUB_SERVER_URL, authenticated with $GITHUB_TOKEN; tests pass a
#                         local bare repository)
#   MAX_ATTEMPTS          pushes to try before giving up                          (default: 5)
#
# Step outputs (when GITHUB_OUTPUT is set): pushed=true|false; in pull-request mode also
# proposed=true|false: whether PR_BRANCH holds progress that BRANCH does not have, so that a
# pull request should be open for it (whether or not this run had to push), and then message:
# the subject of the commit it holds, for the pull request's title.
#
# push: if the branch moved while we rendered (a concurrent push, or another run that the
# concurrency group did not serialise), the commit is rebased onto the new tip; if the rebase
# conflicts (someone else changed the README section), the checkout is reset to the remote
# and RENDER runs again, so the commit always reflects the latest README around our section.
#
# pull-request: PR_BRANCH is always exactly one commit by the bot on top of BRANCH's latest
# tip (rebased, or rendered again on a conflict, as above), never a pile of commits: each run
# rebuilds it and force-pushes it, but only when it differs from what the branch holds. The
# commit is reproducible (its dates are those of the tip it is built on), so the same
# progress on the same tip is the same commit, and `git ls-remote` alone tells whether the
# branch already holds it, without fetching the branch's history into a shallow checkout.
# Opening or updating the pull request itself is open-pull-request.sh's job.
set -euo pipefail

: "${PERCENT:?PERCENT is required (the percent output of render)}"
: "${DONE:?DONE is required (the done output of render)}"
: "${TOTAL:?TOTAL is required (the total output of render)}"
branch="${BRANCH:-${GITHUB_REF_NAME:-}}"
if [[ -z "$branch" ]]; then
  echo "commit-progress: set BRANCH (or GITHUB_REF_NAME) to the branch to push to" >&2
  exit 2
fi
mode="${MODE:-push}"
case "$mode" in
  push | pull-request) ;;
  *)
    echo "commit-progress: MODE must be push or pull-request, not: $mode" >&2
    exit 2
    ;;
esac
pr_branch="${PR_BRANCH:-roadmap-sync/progress}"
read -r -a paths <<<"${COMMIT_PATHS:-README.md .github/badges}"
max_attempts="${MAX_ATTEMPTS:-5}"
message="roadmap: ${DONE}/${TOTAL} · ${PERCENT}%"

# The bot identity GitHub shows with its avatar; exported (not `git -c`) so that the commits
# a rebase rewrites carry it too.
export GIT_AUTHOR_NAME="github-actions[bot]"
export GIT_AUTHOR_EMAIL="41898283+github-actions[bot]@users.noreply.github.com"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_TERMINAL_PROMPT=0 # a missing credential must fail, never wait for a prompt

if [[ -n "${REMOTE:-}" ]]; then
  remote="$REMOTE"
  auth=() # expanded as ${auth[@]+...}: macOS's bash 3.2 calls an empty array unbound
else
  : "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is required unless REMOTE is set}"
  # ${VAR:+set}, not the value: even under `bash -x` the token is never printed.
  if [[ -z "${GITHUB_TOKEN:+set}" ]]; then
    echo "commit-progress: GITHUB_TOKEN is required to push unless REMOTE is set" >&2
    exit 2
  fi
  remote="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY}.git"
  # The token reaches git through a credential helper that reads it from the environment
  # when git asks, so it is never part of a URL or an argument: git cannot print it in an
  # error message, and `ps` cannot show it. The empty helper first drops any configured one.
  # shellcheck disable=SC2016 # expanded by the helper's shell, on purpose
  auth=(-c credential.helper= -c 'credential.helper=!f() { echo username=x-access-token; echo "password=${GITHUB_TOKEN}"; }; f')
fi

top="$(git rev-parse --show-toplevel)" # a separate assignment, so set -e sees a failure
cd "$top"

changed() {
  local status
  # `|| exit`: a failing git status must stop the script, not read as "unchanged" (set -e
  # does not apply inside a function called as an `if` condition).
  status="$(git status --porcelain --untracked-files=all -- "${paths[@]}")" || exit 1
  [[ -n "$status" ]]
}

output() {
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    echo "$1" >>"$GITHUB_OUTPUT"
  fi
}

commit() {
  # Only paths git can match: the badge folder does not exist before the first render.
  local present=() path
  for path in "${paths[@]}"; do
    if [[ -e "$path" ]] || git ls-files --error-unmatch -- "$path" >/dev/null 2>&1; then
      present+=("$path")
    fi
  done
  git add --all -- "${present[@]}"
  # Only these paths: anything else the job left in the tree (build/, *.egg-info) stays
  # out of the commit.
  git commit --quiet --no-verify -m "$message" -- "${present[@]}"
}

# The pull-request mode: rebuild PR_BRANCH as one commit on BRANCH's latest tip, and push it
# if it differs from what the branch holds. BRANCH itself is never pushed to.
propose() {
  local base date ours theirs attempt=1
  git ${auth[@]+"${auth[@]}"} fetch --quiet "$remote" "refs/heads/${branch}"
  base="$(git rev-parse FETCH_HEAD)"
  # Reproducible: the dates of the tip we build on, so that the same progress on the same
  # tip is the same commit, whenever it is made. Exported, so the rebase keeps them too.
  date="$(git log -1 --format=%cI "$base")"
  export GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date"
  commit
  if [[ "$(git rev-parse HEAD~1)" != "$base" ]]; then
    # Rendered on an older checkout: move our one commit (and only it) onto the tip.
    if ! git rebase --quiet --onto "$base" HEAD~1; then
      git rebase --abort 2>/dev/null || true
      if [[ -z "${RENDER:-}" ]]; then
        echo "::error::the progress conflicts with a change on $branch and RENDER is not set" >&2
        exit 1
      fi
      echo "the progress conflicts with a change on $branch: rendering again on top of it"
      git reset --quiet --hard "$base"
      bash -c "$RENDER"
      if changed; then
        commit
      fi
    fi
  fi
  ours="$(git rev-parse HEAD)"
  if [[ "$ours" != "$base" ]]; then
    output "message=$message"
  fi
  if [[ "$ours" == "$base" ]]; then
    # The rebase dropped our commit, or the re-render produced what the tip has.
    echo "$branch already has this progress: nothing to propose"
    output "pushed=false"
    output "proposed=false"
    exit 0
  fi
  while :; do
    theirs="$(git ${auth[@]+"${auth[@]}"} ls-remote "$remote" "refs/heads/${pr_branch}" |
      awk -v ref="refs/heads/${pr_branch}" '$2 == ref { print $1 }')"
    if [[ "$theirs" == "$ours" ]]; then
      echo "$pr_branch already proposes \"$message\" on the tip of $branch: nothing to push"
      output "pushed=false"
      output "proposed=true"
      exit 0
    fi
    # The lease: replace exactly what we saw (an empty value: the branch must not exist), so
    # a concurrent update is never overwritten blindly; we look again and retry instead.
    if git ${auth[@]+"${auth[@]}"} push --quiet --force-with-lease="refs/heads/${pr_branch}:${theirs}" \
      "$remote" "${ours}:refs/heads/${pr_branch}"; then
      echo "pushed \"$message\" to $pr_branch, on top of $branch"
      output "pushed=true"
      output "proposed=true"
      exit 0
    fi
    if [[ "$attempt" -ge "$max_attempts" ]]; then
      echo "::error::could not push the progress to $pr_branch after $attempt attempts" >&2
      exit 1
    fi
    attempt=$((attempt + 1))
    echo "$pr_branch changed meanwhile: looking again (attempt $attempt of $max_attempts)"
  done
}

if ! changed; then
  echo "progress unchanged: nothing to commit"
  output "pushed=false"
  if [[ "$mode" == pull-request ]]; then
    output "proposed=false"
  fi
  exit 0
fi

if [[ "$mode" == pull-request ]]; then
  propose # never returns
fi

attempt=1
while :; do
  if changed; then
    commit
  fi
  if [[ "$attempt" -gt 1 ]] && git merge-base --is-ancestor HEAD FETCH_HEAD; then
    # The rebase dropped our commit (the remote already has this README), or the re-render
    # produced what the remote has: nothing left to push.
    echo "progress already up to date on $branch"
    output "pushed=false"
    exit 0
  fi
  if git ${auth[@]+"${auth[@]}"} push --quiet "$remote" "HEAD:refs/heads/${branch}"; then
    echo "pushed \"$message\" to $branch"
    output "pushed=true"
    exit 0
  fi
  if [[ "$attempt" -ge "$max_attempts" ]]; then
    echo "::error::could not push the progress to $branch after $attempt attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  echo "$branch moved meanwhile: fetching it and trying again (attempt $attempt of $max_attempts)"
  git ${auth[@]+"${auth[@]}"} fetch --quiet "$remote" "refs/heads/${branch}"
  if git rebase --quiet FETCH_HEAD; then
    continue
  fi
  git rebase --abort 2>/dev/null || true # nothing to abort if the rebase never started
  if [[ -z "${RENDER:-}" ]]; then
    echo "::error::the progress conflicts with a change on $branch and RENDER is not set" >&2
    exit 1
  fi
  echo "the progress conflicts with a change on $branch: rendering again on top of it"
  git reset --quiet --hard FETCH_HEAD
  bash -c "$RENDER"
done
