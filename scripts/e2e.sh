#!/usr/bin/env bash
# e2e.sh: the dashboard's real browser test. Installs Debian's chromium if missing, then
# runs the e2e-tagged Go test, which starts `outcry serve --demo` (bin/outcry) on a free
# loopback port and drives headless chromium over the DevTools protocol. Screenshots land
# in e2e-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
	SUDO=""
	if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
mkdir -p e2e-artifacts
OUTCRY_BIN="$PWD/bin/outcry" CHROMIUM="$(command -v chromium)" OUTCRY_E2E_OUT="$PWD/e2e-artifacts" \
	go test -tags e2e -count=1 -run TestE2E -v ./cmd/outcry 2>&1 | tee e2e-artifacts/e2e.log | grep -E '^(=== RUN|--- |PASS|FAIL|ok|\s+e2e_test)' || true
test "${PIPESTATUS[0]}" = 0
