#!/usr/bin/env bash
# Shared setup for the README's two commands (`make run`, `make test`).
#
# Sourced, not executed. After `fs_setup` the following are set and exported:
#   VENV, PY, ODOO_PATH, ODOO_BIN, ODOO_CONF, PGHOST, PGPORT, PGUSER
# Every step either succeeds or stops the command with a message saying what is
# missing and what to do.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="$ROOT/.run"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
ODOO_PATH="${ODOO_PATH:-/opt/odoo18}"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
PYTHON="${PYTHON:-}"
export ROOT RUN_DIR VENV PY ODOO_PATH

say() { printf '\033[1m[fs-sop]\033[0m %s\n' "$*" >&2; }
die() {
    printf '\033[1;31m[fs-sop] ERROR:\033[0m %s\n' "$*" >&2
    exit 2
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

# --- Python and the virtualenv --------------------------------------------
fs_python() {
    if [ -z "$PYTHON" ]; then
        for candidate in python3.11 python3.12 python3; do
            if command -v "$candidate" >/dev/null 2>&1 &&
                "$candidate" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] <= (3, 12)))' 2>/dev/null; then
                PYTHON="$candidate"
                break
            fi
        done
    fi
    [ -n "$PYTHON" ] || die "Python 3.11 or 3.12 is required (Odoo 18 supports 3.10-3.12) and none was found on PATH. Install python3.11 or set PYTHON=/path/to/python3."
}

fs_venv() {
    local stamp="$VENV/.fs-requirements.sha" want
    want=$(cat "$ROOT"/requirements*.txt | sha256sum | cut -d' ' -f1)
    if [ -x "$PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    fs_python
    [ -x "$PY" ] || { say "creating virtualenv $VENV ($PYTHON)"; "$PYTHON" -m venv "$VENV" || die "could not create the virtualenv at $VENV (is the python venv module installed? Debian: apt-get install python3-venv)"; }
    say "installing pinned Python requirements (log: $RUN_DIR/pip.log)"
    mkdir -p "$RUN_DIR"
    if ! "$PY" -m pip install --disable-pip-version-check -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt" >"$RUN_DIR/pip.log" 2>&1 ||
        ! "$PY" -m pip install --disable-pip-version-check --no-deps -r "$ROOT/requirements-addons.txt" >>"$RUN_DIR/pip.log" 2>&1; then
        grep -v '^WARNING: Location' "$RUN_DIR/pip.log" | tail -n 25 >&2
        die "pip could not install the requirements (see $RUN_DIR/pip.log)"
    fi
    echo "$want" >"$stamp"
}

# --- Odoo source ------------------------------------------------------------
fs_is_odoo18() {
    [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] &&
        grep -Eq '^version_info = \(18, 0,' "$1/odoo/release.py"
}

fs_odoo() {
    if ! fs_is_odoo18 "$ODOO_PATH"; then
        if [ -e "$ODOO_PATH/odoo-bin" ]; then
            die "$ODOO_PATH holds an Odoo source tree that is not 18.0 (see $ODOO_PATH/odoo/release.py). Point ODOO_PATH at an Odoo 18.0 Community tree."
        fi
        say "no Odoo 18.0 source at ODOO_PATH=$ODOO_PATH; trying to install the official 18.0 source there"
        local target="$ODOO_PATH"
        if [ ! -d "$(dirname "$target")" ] || [ ! -w "$(dirname "$target")" ]; then
            target="$ROOT/.odoo18"
            say "$(dirname "$ODOO_PATH") is not writable; using $target instead"
        fi
        if ! command -v git >/dev/null 2>&1 ||
            ! timeout 600 git clone --quiet --depth 1 --branch 18.0 "$ODOO_GIT_URL" "$target.partial" 2>"$RUN_DIR/odoo-clone.log"; then
            rm -rf "$target.partial"
            die "Odoo 18.0 was not found and could not be downloaded.
  Expected: an Odoo 18.0 Community source tree at ODOO_PATH=$ODOO_PATH (with odoo-bin and odoo/release.py).
  Tried:    git clone --branch 18.0 $ODOO_GIT_URL (no internet access, or git missing; see $RUN_DIR/odoo-clone.log).
  Fix:      put the Odoo 18.0 source at $ODOO_PATH, or run with ODOO_PATH=/path/to/odoo-18.0."
        fi
        mv "$target.partial" "$target"
        ODOO_PATH="$target"
    fi
    ODOO_BIN="$ODOO_PATH/odoo-bin"
    export ODOO_PATH ODOO_BIN
}

fs_link_odoo() {
    # Make the tree importable from the venv; OCA wheels live in the venv's
    # odoo/addons and join the odoo.addons namespace through pkgutil.
    local site
    site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$ODOO_PATH" >"$site/odoo-path.pth"
    SITE_ADDONS="$site/odoo/addons"
    export SITE_ADDONS
}

# --- Browser, PDF renderer, fonts -------------------------------------------
fs_system_packages() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
        command -v google-chrome >/dev/null 2>&1 || missing+=(chromium)
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
    # (grep -c, not -q: -q would end the pipe early and pipefail would see SIGPIPE)
    [ "$(fc-list 2>/dev/null | grep -ci 'cjk')" -gt 0 ] || missing+=(fonts-noto-cjk)
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing system packages: ${missing[*]}"
    if command -v apt-get >/dev/null 2>&1 &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$RUN_DIR/apt.log" 2>&1 &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$RUN_DIR/apt.log" 2>&1; then
        return 0
    fi
    die "missing system packages: ${missing[*]} (browser tours need chromium, PDF reports need wkhtmltopdf, Chinese PDFs need fonts-noto-cjk). Install them (Debian: apt-get install ${missing[*]}) and run again."
}

# --- PostgreSQL ---------------------------------------------------------------
fs_pg_ok() { pg_isready -q -h "$1" -p "$2" >/dev/null 2>&1; }

fs_postgres() {
    command -v pg_isready >/dev/null 2>&1 || die "PostgreSQL client tools (pg_isready, psql) are missing. Install PostgreSQL (Debian: apt-get install postgresql) and run again."
    # Its logs go there; fs_setup makes it, but fs_postgres also runs alone.
    mkdir -p "$RUN_DIR"
    # The role we log in as; a private cluster is initialised with it.
    PGUSER="${PGUSER:-$(id -un)}"
    [ "$PGUSER" = postgres ] && die "Odoo refuses to connect as the PostgreSQL superuser 'postgres'. Run as another user or set PGUSER."
    local private
    private=$(fs_private_dir)
    if [ -n "${PGHOST:-}" ] && fs_pg_ok "$PGHOST" "${PGPORT:-5432}"; then
        :  # the caller chose a server
    elif [ -f "$private/PG_VERSION" ]; then
        fs_private_cluster "$private"
    elif fs_pg_ok /var/run/postgresql 5432; then
        PGHOST=/var/run/postgresql PGPORT=5432
    elif [ "$(id -u)" = 0 ] && command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
        local ver name
        read -r ver name _ < <(pg_lsclusters -h | head -n 1)
        say "starting the system PostgreSQL cluster $ver/$name"
        pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start 2>"$RUN_DIR/pg.log" || true
        PGHOST=/var/run/postgresql PGPORT=$(pg_lsclusters -h | awk -v v="$ver" -v n="$name" '$1==v && $2==n {print $3}')
        for _ in $(seq 30); do fs_pg_ok "$PGHOST" "$PGPORT" && break; sleep 1; done
        fs_pg_ok "$PGHOST" "$PGPORT" || die "the PostgreSQL cluster $ver/$name did not start (see $RUN_DIR/pg.log and /var/log/postgresql/)."
    else
        fs_private_cluster "$private"
    fi
    export PGHOST PGPORT PGUSER
    # -w: never wait for a password typed in (a server asking for one fails
    # here, with the message below, instead of hanging `make`).
    if ! psql -w -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        # A system cluster knows no role for us yet: create a superuser role once.
        # As the OS user postgres (peer authentication): the environment must not
        # carry our PGUSER/PGDATABASE/PGPASSWORD into createuser, or it would try
        # to log in as the very role it is about to create.
        if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
            say "creating PostgreSQL role $PGUSER"
            runuser -u postgres -- env -u PGUSER -u PGDATABASE -u PGPASSWORD \
                createuser -w -h "$PGHOST" -p "$PGPORT" --superuser "$PGUSER" >"$RUN_DIR/pg-role.log" 2>&1 ||
                say "createuser failed: $(tr '\n' ' ' <"$RUN_DIR/pg-role.log")"
        fi
        psql -w -d postgres -tAc 'select 1' >/dev/null 2>&1 ||
            die "cannot log in to PostgreSQL at $PGHOST:$PGPORT as role '$PGUSER'. Create it (as postgres: createuser --superuser $PGUSER) or set PGHOST/PGPORT/PGUSER."
    fi
}

fs_pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) $(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)"); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
}

# Where the private cluster lives: .pgdata/ in the checkout. As root the
# cluster belongs to the OS user postgres (initdb refuses root), who must be
# able to reach it: a checkout he cannot enter (under /root, mode 0700) keeps
# it in postgres's home instead, one directory per checkout.
fs_private_dir() {
    local dir="$ROOT/.pgdata"
    if [ "$(id -u)" = 0 ] && [ ! -f "$dir/PG_VERSION" ] && id postgres >/dev/null 2>&1 &&
        ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
        dir=~postgres/fs-sop/$(printf %s "$ROOT" | sha256sum | cut -c1-16)
    fi
    echo "$dir"
}

fs_private_cluster() {
    local dir="$1" bindir owner=()
    bindir=$(fs_pg_bindir) || die "no PostgreSQL server is running and no PostgreSQL server binaries (initdb, pg_ctl) were found. Install PostgreSQL (Debian: apt-get install postgresql) or set PGHOST/PGPORT to a running server."
    # initdb refuses to run as root: the cluster then belongs to 'postgres'.
    [ "$(id -u)" = 0 ] && owner=(runuser -u postgres --)
    PGHOST="$dir/run" PGPORT="${FS_PGPORT:-54329}"
    if [ ! -f "$dir/PG_VERSION" ]; then
        say "initialising a private PostgreSQL cluster in $dir"
        mkdir -p "$dir"
        [ ${#owner[@]} -gt 0 ] && chown postgres "$dir"
        "${owner[@]}" "$bindir/initdb" -D "$dir" -U "$PGUSER" --auth=trust -E UTF8 --locale=C.UTF-8 >"$RUN_DIR/pg.log" 2>&1 ||
            die "initdb failed (see $RUN_DIR/pg.log)"
    fi
    if ! fs_pg_ok "$PGHOST" "$PGPORT"; then
        mkdir -p "$dir/run"
        [ ${#owner[@]} -gt 0 ] && chown postgres "$dir/run"
        say "starting the private PostgreSQL cluster ($PGHOST, port $PGPORT)"
        "${owner[@]}" "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
            -o "-k '$dir/run' -p $PGPORT -c listen_addresses=''" start >/dev/null ||
            die "the private PostgreSQL cluster did not start (see $dir/server.log)"
    fi
}

# --- Odoo configuration -----------------------------------------------------
fs_config() {
    ODOO_CONF="$RUN_DIR/odoo.conf"
    mkdir -p "$RUN_DIR/data"
    cat >"$ODOO_CONF" <<CONF
[options]
addons_path = $ROOT,$ODOO_PATH/odoo/addons,$SITE_ADDONS
data_dir = $RUN_DIR/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = False
admin_passwd = ${FS_MASTER_PASSWORD:-admin}
http_interface = ${FS_HTTP_INTERFACE:-127.0.0.1}
http_port = ${FS_HTTP_PORT:-8069}
max_cron_threads = 1
CONF
    export ODOO_CONF
}

fs_setup() {
    mkdir -p "$RUN_DIR"
    fs_odoo
    fs_venv
    fs_link_odoo
    fs_system_packages
    fs_postgres
    fs_config
}
