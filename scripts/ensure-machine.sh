#!/usr/bin/env bash
# What `npm test` needs of the machine (Debian 12): Node 20+, Debian's Chromium, Redis, Postgres
# with trust for local TCP, espeak-ng and sox. As root it installs and starts what is missing; as
# anyone else it names the commands to run and fails before any test does. Silent when all is there.
# Called first by scripts/test.sh and .ci/run.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

root=false
[[ $(id -u) == 0 ]] && root=true
lacks=() # what is missing, for the message
steps=() # the commands that would fix it, for the message
trust="host all all 127.0.0.1/32 trust"

refuse() {
  local IFS=,
  echo "npm test: this machine lacks${lacks[*]/#/ }. Run these, then \`npm test\` again:" >&2
  printf '  %s\n' "${steps[@]}" >&2
  $root || echo "(As root, \`npm test\` runs the apt-get and Postgres steps itself.)" >&2
  exit 1
}
wait_for() {
  for _ in {1..30}; do "$@" && return 0; sleep 1; done
  return 1
}
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
# The tests connect as postgres without a password; a password from the environment would hide that.
pg_trusts() (
  unset PGPASSWORD
  PGPASSFILE=/nonexistent psql -h 127.0.0.1 -U postgres -d postgres -w -Atqc "select 1" >/dev/null 2>&1
)
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }

version=$(node -v 2>/dev/null || echo none)
major=${version#v}
major=${major%%.*}
if [[ ! $major =~ ^[0-9]+$ ]] || ((major < 20)); then
  # Debian 12's own nodejs is 18.
  lacks+=("Node 20 or later (found: $version)")
  steps+=("curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash - && sudo apt-get install -y nodejs")
fi

packages=()
command -v chromium >/dev/null || packages+=(chromium)
command -v redis-server >/dev/null || packages+=(redis-server)
command -v pg_ctlcluster >/dev/null || packages+=(postgresql)
# The turn-taking corpus is synthesised at test time (tests/turns/synth.ts).
command -v espeak-ng >/dev/null || packages+=(espeak-ng)
command -v sox >/dev/null || packages+=(sox)
if ((${#packages[@]})); then
  if $root; then
    apt-get update -qq
    apt-get install -y -qq "${packages[@]}" >/dev/null
  else
    lacks+=("${packages[@]}")
    steps+=("sudo apt-get update && sudo apt-get install -y ${packages[*]}")
    # A fresh cluster asks for a password over TCP (Debian's pg_hba.conf).
    [[ " ${packages[*]} " == *" postgresql "* ]] &&
      steps+=("sudo sed -i '1i $trust' /etc/postgresql/*/main/pg_hba.conf && sudo pg_ctlcluster \$(ls /etc/postgresql) main reload")
  fi
fi
((${#steps[@]})) && refuse

cluster=""
for dir in /etc/postgresql/*/main; do
  [[ -d $dir ]] && cluster=${dir#/etc/postgresql/} && cluster=${cluster%/main} && break
done
if ! pg_up; then
  echo "starting Postgres"
  if pg_ctlcluster --skip-systemctl-redirect "$cluster" main start; then
    wait_for pg_up || { echo "Postgres did not answer on 127.0.0.1:5432 within 30 s" >&2 && exit 1; }
  else
    lacks+=("a running Postgres")
    steps+=("sudo pg_ctlcluster --skip-systemctl-redirect $cluster main start")
    refuse
  fi
fi
if ! pg_trusts; then
  hba=/etc/postgresql/$cluster/main/pg_hba.conf
  if $root; then
    grep -q "^$trust" "$hba" || sed -i "1i $trust" "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$cluster" main reload
    wait_for pg_trusts || { echo "Postgres still asks user postgres for a password over TCP: see $hba" >&2 && exit 1; }
  else
    lacks+=("trust for user postgres on 127.0.0.1 in Postgres")
    steps+=("sudo sed -i '1i $trust' $hba && sudo pg_ctlcluster $cluster main reload")
    refuse
  fi
fi

if ! redis_up; then
  echo "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  wait_for redis_up || { echo "Redis did not answer on 127.0.0.1:6379 within 30 s" >&2 && exit 1; }
fi
