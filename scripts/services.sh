#!/usr/bin/env bash
# Makes sure the two servers the distributed crates are tested against answer:
# PostgreSQL on 127.0.0.1:5432 (trust auth, database `test`) and nats-server with JetStream on
# 127.0.0.1:4222. Starts each one that does not answer, with the commands of Debian's packages
# (no containers), then fails loudly if it still cannot reach it. Installs either server with
# apt-get when it is missing altogether.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
nats_up() { (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; }

wait_for() { # name, probe, seconds
  local name=$1 probe=$2 seconds=$3
  for _ in $(seq 1 $((seconds * 4))); do
    if $probe; then echo "$name: answering"; return 0; fi
    sleep 0.25
  done
  echo "error: $name does not answer after ${seconds}s; see the commands in scripts/services.sh" >&2
  return 1
}

apt_updated=0
need_package() { # command, package
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
    if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  fi
}

if ! pg_up; then
  need_package pg_ctlcluster postgresql
  cluster=$(ls /etc/postgresql | sort -V | tail -1)
  echo "PostgreSQL: starting cluster $cluster/main"
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main start || true
fi
wait_for PostgreSQL pg_up 30
psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null 2>&1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -c 'create database test' >/dev/null

if ! nats_up; then
  need_package /usr/sbin/nats-server nats-server
  echo "nats-server: starting with JetStream"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
fi
wait_for nats-server nats_up 30
