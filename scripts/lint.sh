#!/usr/bin/env bash
# Lint: the OCA-style checks of .pre-commit-config.yaml (ruff, ruff format,
# pylint-odoo, oca-checks-odoo-module, oca-checks-po, prettier) on all files git
# tracks. Fully offline once the tools are installed: every hook is a local one
# running a pinned tool from .venv (requirements-dev.txt) or node_modules
# (package.json / package-lock.json). Exits non-zero on any finding.
#
#   bash scripts/lint.sh          check
#   bash scripts/lint.sh --fix    apply ruff's fixes, ruff format and prettier,
#                                 then check
set -euo pipefail
# shellcheck source=setup.sh
source "$(dirname "$0")/setup.sh"

fix=0
case "${1:-}" in
    "") ;;
    --fix) fix=1 ;;
    *) die "unknown argument '$1' (usage: bash scripts/lint.sh [--fix])" ;;
esac

cd "$ROOT"
[ "$VENV" = "$ROOT/.venv" ] ||
    die "the lint hooks run the tools from $ROOT/.venv, but VENV=$VENV. Unset VENV and run again."
fs_venv

command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1 ||
    die "the lint runs through pre-commit, which needs git and a git checkout of the project (git clone, not a copied tree)."

# Node tools (prettier with its XML plugin), exactly as package-lock.json pins them.
if [ ! -x node_modules/.bin/prettier ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 ||
        die "npm and Node.js are required for the XML/JS/YAML checks (prettier) and were not found on PATH. Install Node.js 18 or newer with npm (Debian: apt-get install nodejs npm) and run again."
    say "installing the pinned Node lint tools (npm ci, log: $RUN_DIR/npm.log)"
    mkdir -p "$RUN_DIR"
    npm ci --no-audit --no-fund >"$RUN_DIR/npm.log" 2>&1 || {
        tail -n 25 "$RUN_DIR/npm.log" >&2
        die "npm ci failed (see $RUN_DIR/npm.log)"
    }
fi

export PATH="$ROOT/.venv/bin:$ROOT/node_modules/.bin:$PATH"
if [ "$fix" = 1 ]; then
    say "applying fixes (ruff --fix, ruff format, prettier --write; a fixer that changed files shows as Failed)"
    "$VENV/bin/pre-commit" run --all-files --hook-stage manual || true
fi
say "running the lint checks (pre-commit run --all-files)"
if ! "$VENV/bin/pre-commit" run --all-files; then
    die "lint findings above. Fix them (bash scripts/lint.sh --fix applies the formatters) and run again."
fi
say "lint clean"
