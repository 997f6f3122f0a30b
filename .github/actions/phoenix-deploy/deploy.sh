#!/usr/bin/env bash
# The phoenix-deploy action's deployment step, kept out of action.yml so it runs (and is tested) anywhere:
#   AWS_REGION=eu-west-1 PHOENIX_APP=web .github/actions/phoenix-deploy/deploy.sh
# It starts `phoenix deploy --wait` (progress streams into the log), appends the Markdown summary to
# $GITHUB_STEP_SUMMARY, writes execution-arn/status/result/image-id to $GITHUB_OUTPUT, and exits non-zero when the
# deployment failed, rolled back or never started, so the job fails with it.
#
# Environment (the action maps its inputs onto these):
#   PHOENIX_APP                 application to deploy (required)
#   PHOENIX_IMAGE_ID            AMI to deploy; empty: the workflow bakes one with Packer from the commit
#   PHOENIX_STATE_MACHINE_ARN   the Phoenix state machine; empty: the one the PhoenixPipeline stack publishes in the
#                               region (SSM /phoenix/environment/state-machine-arn), with its table
#   PHOENIX_TABLE               the lock and ledger table: the summary shows the ledger entry (required with PHOENIX_LOCAL)
#   PHOENIX_INPUT               extra execution input as a JSON object, e.g. {"strategy": {"trafficSteps": [10, 100]}}
#   PHOENIX_POLL_SECONDS        seconds between progress polls (default 10)
#   PHOENIX_LOCAL               true: run the workflow in this process (phoenix deploy --local), for a sandbox or an emulator
#   PHOENIX_ENDPOINT_URL        send every AWS call there (an emulator); empty: AWS
#   PHOENIX_BIN                 the phoenix executable (default: phoenix on PATH)
#   GITHUB_SHA, GITHUB_REPOSITORY, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT   set by GitHub Actions; optional elsewhere
set -uo pipefail

die() { # exit code, message: a bad input is reported in the log and in the summary, then fails the step.
  echo "phoenix-deploy: $2" >&2
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    printf '## Phoenix: %s ❌ NOT STARTED\n\n%s\n\n' "${PHOENIX_APP:-?}" "$2" >>"$GITHUB_STEP_SUMMARY"
  fi
  exit "$1"
}

bin=${PHOENIX_BIN:-phoenix}
app=${PHOENIX_APP:-}
local_run=${PHOENIX_LOCAL:-false}
poll=${PHOENIX_POLL_SECONDS:-10}
[ -n "$app" ] || die 2 "input 'application' is required."
command -v "$bin" >/dev/null 2>&1 || die 2 "phoenix executable '$bin' not found (set PHOENIX_BIN or the action's phoenix-path)."
command -v jq >/dev/null 2>&1 || die 2 "jq is required to build the execution input and read the result."
case "$local_run" in true | false) ;; *) die 2 "PHOENIX_LOCAL '$local_run' must be true or false." ;; esac
case "$poll" in '' | *[!0-9]*) die 2 "poll-seconds '$poll' is not a whole number of seconds." ;; esac

# The commit and repository become the ledger entry's source (and what the bake builds when no image is given).
extra=${PHOENIX_INPUT:-}
[ -n "$extra" ] || extra='{}'
input=$(jq -cn --argjson extra "$extra" --arg commit "${GITHUB_SHA:-}" --arg repository "${GITHUB_REPOSITORY:-}" '
  if ($extra | type) != "object" then error("must be a JSON object") else . end
  | $extra + {source: (($extra.source // {}) + ({commit: $commit, repository: $repository, trigger: "github-actions"}
      | with_entries(select(.value != ""))))}' 2>&1) ||
  die 2 "input 'input' is not a JSON object: ${PHOENIX_INPUT:-} ($input)"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
result="$scratch/result.json"
summary=${GITHUB_STEP_SUMMARY:-$scratch/summary.md}

args=(deploy --app "$app" --input "$input" --summary-file "$summary" --result-file "$result")
[ -z "${PHOENIX_IMAGE_ID:-}" ] || args+=(--image "$PHOENIX_IMAGE_ID")
[ -z "${PHOENIX_TABLE:-}" ] || args+=(--table "$PHOENIX_TABLE")
[ -z "${PHOENIX_ENDPOINT_URL:-}" ] || args+=(--endpoint-url "$PHOENIX_ENDPOINT_URL")
if [ "$local_run" = true ]; then
  args+=(--local)
else
  args+=(--wait --poll-seconds "$poll")
  # Without one, phoenix deploy finds the state machine and table the PhoenixPipeline stack published in the region.
  [ -z "${PHOENIX_STATE_MACHINE_ARN:-}" ] || args+=(--state-machine-arn "$PHOENIX_STATE_MACHINE_ARN")
fi

# stderr is kept to explain a deployment that never started; it still reaches the log as it is written.
"$bin" "${args[@]}" 2> >(tee "$scratch/stderr" >&2)
status=$?
wait # for tee, so stderr is complete before it is read

if [ ! -s "$result" ]; then
  # Exit 2: bad input, nothing changed; anything else without a result: the CLI could not reach AWS.
  die $((status == 0 ? 1 : status)) "the deployment did not start (phoenix exited $status): $(tail -n 5 "$scratch/stderr" | tr '\n' ' ')"
fi

outcome=$(jq -r '.result // .status' "$result")
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  jq -r '"execution-arn=\(.executionArn)", "status=\(.status)", "result=\(.result // "")", "image-id=\(.imageId // "")"' "$result" >>"$GITHUB_OUTPUT"
fi

# A ledger entry that says the deployment did not land fails the job even if the execution ended SUCCEEDED.
case "$outcome" in
  DEPLOYED | SUCCEEDED) [ "$status" -eq 0 ] || outcome="$outcome (phoenix exited $status)" ;;
  *) [ "$status" -ne 0 ] || status=1 ;;
esac
echo "phoenix-deploy: $app $outcome"
exit "$status"
