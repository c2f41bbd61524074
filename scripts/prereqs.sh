#!/usr/bin/env bash
# Checks what the build and the sandbox need; on Debian/Ubuntu as root it installs what is missing.
set -euo pipefail
missing=()
have() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if [ "$(id -u)" = 0 ] && have apt-get; then
    echo "prereqs: installing $* with apt-get"
    if [ -z "${AUTOHEAL_APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; export AUTOHEAL_APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    return 1
  fi
}
ensure() { # ensure COMMAND DEBIAN-PACKAGE HINT
  have "$1" || apt_install "$2" || missing+=("$1 ($3)")
}
ensure java openjdk-17-jdk-headless "a JDK 17+"
ensure mvn maven "Apache Maven 3.8+"
ensure python3 python3 "Python 3.9+ for moto"
ensure openssl openssl "openssl, for the sandbox's keys"
ensure curl curl "curl"
# Debian's prometheus package ships both: promtool (promtool check/test rules) and the server MonitoringE2ETest starts
# on loopback. The tests only need the binaries; the package's own service is not used.
ensure promtool prometheus "promtool from Debian's prometheus package, for the alert rule tests (apt-get install prometheus)"
ensure prometheus prometheus "the prometheus server from Debian's prometheus package, for MonitoringE2ETest (apt-get install prometheus)"
ensure prometheus-alertmanager prometheus-alertmanager "Debian's Alertmanager, for AlertmanagerE2ETest (a real rule routed to POST /alertmanager; apt-get install prometheus-alertmanager)"
# ArgoHealthCheckTest runs docs/gitops.md's Argo CD health check (Lua) against status fixtures with Debian's Lua 5.1
# (the language level of gopher-lua, which Argo CD embeds) and Lua 5.4.
ensure lua5.1 lua5.1 "Debian's Lua 5.1, for ArgoHealthCheckTest (apt-get install lua5.1)"
ensure lua5.4 lua5.4 "Debian's Lua 5.4, for ArgoHealthCheckTest (apt-get install lua5.4)"
# DiscoveryTest checks a rendered HAProxy configuration with haproxy -c (Debian installs it in /usr/sbin).
have haproxy || [ -x /usr/sbin/haproxy ] || apt_install haproxy || missing+=("haproxy (for DiscoveryTest's haproxy -c; apt-get install haproxy)")
# make image builds the container image without an engine: a Debian root filesystem (mmdebstrap), OCI layers (umoci),
# the OCI archive (skopeo, also what ImageIT inspects it with).
ensure mmdebstrap mmdebstrap "mmdebstrap, for make image (apt-get install mmdebstrap)"
ensure umoci umoci "umoci, for make image (apt-get install umoci)"
ensure skopeo skopeo "skopeo, for make image and its test (apt-get install skopeo)"
if have python3 && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  apt_install python3-venv || missing+=("python3-venv (python3 -m venv must work)")
fi
if ! have go; then
  missing+=("go (Go >= 1.24 builds the sandbox's kube-apiserver, etcd and kubectl; Debian's golang package is too old — install a current Go toolchain and put it on PATH)")
fi
if [ ${#missing[@]} -gt 0 ]; then
  for m in "${missing[@]}"; do echo "prereqs: MISSING $m" >&2; done
  exit 1
fi
if have java; then
  jv=$(java -version 2>&1 | awk -F'"' '/version/ {print $2}' | cut -d. -f1)
  if [ "${jv:-0}" -lt 17 ]; then echo "prereqs: MISSING Java 17+ (found $jv)" >&2; exit 1; fi
fi
