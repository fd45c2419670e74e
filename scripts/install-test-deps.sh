#!/bin/sh
# Installs what the browser tests in tests/browser need, on a Debian machine, as root (for
# example in CI): Chromium, poppler-utils (pdftotext, for the PDF handouts), the Noto CJK fonts
# (Japanese text), a headless Java runtime (the Nu HTML Checker), unzip (the SCORM package's
# browser test unpacks it), then the npm packages pinned in
# tests/browser/package-lock.json. Safe to run again: it installs only what is missing and
# leaves an up-to-date tests/browser/node_modules alone.
set -eu

log() { printf 'install-test-deps: %s\n' "$*"; }

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
browser_tests="$root/tests/browser"

has_command() { command -v "$1" >/dev/null 2>&1; }
has_package() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Debian packages: each is checked by the command it provides, or by dpkg for the fonts.
missing=""
if has_command chromium; then log "chromium: present ($(command -v chromium))"; else missing="$missing chromium"; fi
if has_command pdftotext; then log "poppler-utils: present ($(command -v pdftotext))"; else missing="$missing poppler-utils"; fi
if has_package fonts-noto-cjk; then log "fonts-noto-cjk: present"; else missing="$missing fonts-noto-cjk"; fi
if has_command unzip; then log "unzip: present ($(command -v unzip))"; else missing="$missing unzip"; fi
if has_command java; then log "java: present ($(command -v java))"; else missing="$missing default-jre-headless"; fi
# Node.js and npm run the tests; a fresh machine may not have them.
if has_command node; then log "node: present ($(node --version))"; else missing="$missing nodejs"; fi
if has_command npm; then log "npm: present ($(npm --version))"; else missing="$missing npm"; fi

if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing:$missing — run this script as root to install them"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  log "running apt-get update"
  apt-get update
  log "installing:$missing"
  # shellcheck disable=SC2086 # the list is meant to split into words
  apt-get install -y --no-install-recommends $missing
else
  log "every Debian package is already installed; apt-get not needed"
fi

# npm packages: npm ci wipes node_modules and installs exactly what package-lock.json pins, so
# run it only when the installed packages differ from the lock file.
cd "$browser_tests"
if [ ! -f package-lock.json ]; then
  log "tests/browser/package-lock.json is missing; cannot run npm ci"
  exit 1
fi
if node -e '
  const fs = require("fs");
  const want = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages || {};
  let have;
  try { have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages || {}; } catch { process.exit(1); }
  for (const [path, p] of Object.entries(want)) {
    if (!path || p.optional) continue;
    if (!have[path] || have[path].version !== p.version || !fs.existsSync(path + "/package.json")) process.exit(1);
  }
' 2>/dev/null; then
  log "tests/browser/node_modules matches package-lock.json; npm ci not needed"
else
  # --ignore-scripts: no package needs one (Chromium and Java come from Debian), and vnu-jar's
  # would download a Java runtime.
  log "running npm ci --ignore-scripts in tests/browser"
  npm ci --ignore-scripts --no-audit --no-fund
fi

log "done: run the tests with  cd tests/browser && node --test --test-concurrency=1 ./*.test.mjs  (after cargo build)"
