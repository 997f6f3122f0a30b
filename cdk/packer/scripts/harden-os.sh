#!/usr/bin/env bash
# Servers are never logged into to be changed: no passwords, no root login, access only through SSM Session Manager.
set -euo pipefail
sudo sed -i -e 's/^#\?PasswordAuthentication.*/PasswordAuthentication no/' \
            -e 's/^#\?PermitRootLogin.*/PermitRootLogin no/' /etc/ssh/sshd_config
sudo passwd -l root
# Packages no server may carry (bake-manifest.json "forbidden", checked on running servers by APPLICATIONS_BLACKLISTED).
: "${FORBIDDEN:?FORBIDDEN must list the packages no image may carry (bake-manifest.json)}"
for package in $FORBIDDEN; do
  if rpm -q "$package" >/dev/null 2>&1; then sudo dnf -y remove "$package"; fi
done
# Package changes on a running server would be drift; the image is the only way software arrives.
sudo systemctl disable --now dnf-makecache.timer || true
# The build instance's SSH host keys and authorized keys must not ship in the image.
sudo rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub
rm -f ~/.ssh/authorized_keys
