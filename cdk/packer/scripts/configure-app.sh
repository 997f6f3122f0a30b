#!/usr/bin/env bash
# Prepares the service account and the folders the application reads; the config files arrive with the file provisioner.
set -euo pipefail
sudo useradd --system --shell /sbin/nologin --no-create-home app || true
sudo install -d -m 0755 -o "$(id -un)" /etc/app
sudo install -d -m 0755 -o app -g app /var/lib/app
# The load balancer health check (BlueGreenFleet HealthCheckPath, default /health) is answered by nginx.
sudo tee /etc/nginx/default.d/health.conf >/dev/null <<'CONF'
location = /health {
    access_log off;
    default_type text/plain;
    return 200 "ok\n";
}
CONF
sudo systemctl enable nginx amazon-cloudwatch-agent
