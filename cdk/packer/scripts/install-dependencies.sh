#!/usr/bin/env bash
# Everything the application needs is installed at bake time; nothing is installed on a running server.
set -euo pipefail
sudo dnf -y upgrade --refresh
sudo dnf -y install nginx amazon-cloudwatch-agent
