#!/usr/bin/env bash
# Everything the application needs is installed at bake time; nothing is installed on a running server.
set -euo pipefail
sudo dnf -y upgrade --refresh
# PACKAGES comes from bake-manifest.json (app.pkr.hcl): the list the drift stack's APPLICATIONS_REQUIRED rule checks.
: "${PACKAGES:?PACKAGES must list the packages to install (bake-manifest.json)}"
# shellcheck disable=SC2086 # one word per package name (BakeManifest allows no spaces in names)
sudo dnf -y install $PACKAGES
