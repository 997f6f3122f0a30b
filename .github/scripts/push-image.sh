#!/usr/bin/env bash
# Builds functions/Phoenix.Cli/Dockerfile and pushes it as IMAGE_REPOSITORY:IMAGE_TAG (the commit SHA), never
# overwriting a tag: an ECR repository must have IMMUTABLE tag mutability (ECR itself then refuses an overwrite), and
# for any registry the tag must not exist yet. Run from the repository root; needs docker (and the aws CLI for ECR).
#   IMAGE_REPOSITORY  e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/phoenix or ghcr.io/owner/phoenix (required)
#   IMAGE_TAG         the commit SHA (required; 7 to 40 lowercase hex digits)
#   IMAGE_VERSION     org.opencontainers.image.version (default: the tag)
#   IMAGE_SOURCE      org.opencontainers.image.source (default: unknown)
set -euo pipefail

fail() { echo "push-image: $*" >&2; exit 1; }

repository=${IMAGE_REPOSITORY:-}
tag=${IMAGE_TAG:-}
[ -n "$repository" ] || fail "IMAGE_REPOSITORY is required (registry/name, no tag)."
# A registry may carry a port (localhost:5000/phoenix); the name after the last '/' may carry neither tag nor digest.
case "${repository##*/}" in *:* | *@* | '') fail "IMAGE_REPOSITORY '$repository' must be registry/name without a tag or digest: the tag is the commit SHA." ;; esac
[[ "$tag" =~ ^[0-9a-f]{7,40}$ ]] || fail "IMAGE_TAG '$tag' is not a commit SHA (7 to 40 lowercase hex digits)."
image="$repository:$tag"

if [[ "$repository" =~ ^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/(.+)$ ]]; then
  registry=${repository%%/*}
  region=${BASH_REMATCH[2]}
  name=${BASH_REMATCH[4]}
  mutability=$(aws ecr describe-repositories --region "$region" --repository-names "$name" \
    --query 'repositories[0].imageTagMutability' --output text) || fail "cannot read ECR repository '$name' in $region."
  [ "$mutability" = IMMUTABLE ] ||
    fail "ECR repository '$name' has tag mutability '$mutability': set it to IMMUTABLE so no tag can be overwritten."
  aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"
fi

# A tag that already exists is never pushed again, whatever the registry's own setting.
if docker manifest inspect "$image" >/dev/null 2>&1; then
  fail "$image already exists; tags are immutable, nothing was pushed."
fi

docker build -f functions/Phoenix.Cli/Dockerfile \
  --build-arg VERSION="${IMAGE_VERSION:-$tag}" \
  --build-arg REVISION="$tag" \
  --build-arg SOURCE="${IMAGE_SOURCE:-unknown}" \
  -t "$image" .
docker push "$image"
echo "pushed $image"
