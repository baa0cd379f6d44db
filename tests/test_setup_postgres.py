# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``scripts/setup.sh`` finds or makes a PostgreSQL it can log in to (issue 10.9).

A fresh machine has PostgreSQL installed but no role for the user running
``make test``/``make run``; setup.sh creates a superuser role for him as the
OS user postgres (peer authentication). It used to do so through ``su
postgres`` with our own ``PGUSER`` exported, so ``createuser`` tried to log in
as the role it was about to create, was refused, and ``make`` stopped with
"cannot log in ... as role 'root'".

Each test sources a copy of setup.sh placed in an empty directory (a fresh
checkout: no ``.run/``, no ``.pgdata/``) and runs ``fs_postgres`` against a
throw-away cluster, never the system cluster 15/main that other work uses:

- a cluster we name with PGHOST/PGPORT, owned by postgres and knowing no role
  for us, with PGUSER unset and with PGUSER exported (the bug);
- a stopped system cluster (``pg_createcluster``), started by setup.sh with
  ``pg_ctlcluster``; the system cluster on 5432 is hidden from the script by a
  ``pg_isready``/``pg_lsclusters`` wrapper on PATH;
- no system cluster at all: the private cluster in ``.pgdata/``, run by the
  OS user postgres because initdb refuses root, also when the checkout lies in
  a directory postgres cannot enter (like ``/root``).

They need root (as CI runs them): a non-root run fails with a message.
"""

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

SETUP_SH = Path(__file__).resolve().parents[1] / "scripts" / "setup.sh"
# setup.sh as `make` sources it (set -euo pipefail), then fs_postgres alone.
RUN = 'source "$1" && fs_postgres && echo "OK $PGUSER $PGHOST $PGPORT"'
SYSTEM_SOCKETS = "/var/run/postgresql"


def _need_root():
    if os.geteuid() != 0:
        pytest.fail(
            "tests/test_setup_postgres.py must run as root (CI does): it makes "
            "throw-away PostgreSQL clusters owned by the OS user postgres and "
            "checks that setup.sh creates the role of the user running it."
        )
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail(
            "no OS user postgres: install PostgreSQL (apt-get install postgresql)"
        )


def _bindir():
    """PostgreSQL server binaries, newest first (as setup.sh looks for them)."""
    dirs = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda d: [int(n) for n in re.findall(r"\d+", d.parent.name)],
        reverse=True,
    )
    if shutil.which("initdb"):
        dirs.append(Path(shutil.which("initdb")).resolve().parent)
    for path in dirs:
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    pytest.fail("no PostgreSQL server binaries (initdb, pg_ctl) found")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(cmd, *, env=None, user=None, check=True, stdin=None, timeout=180):
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    proc = subprocess.run(
        [str(part) for part in cmd],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check:
        assert proc.returncode == 0, (
            f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n"
            f"{proc.stdout}\n{proc.stderr}"
        )
    return proc


def _env(**values):
    """Our environment without any PG* variable (nor FS_PGPORT), plus ``values``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PG") and key != "FS_PGPORT"
    }
    env.update({key: str(value) for key, value in values.items()})
    return env


@contextmanager
def _tempdir(mode=0o755):
    """A temporary directory; 0755 so that the OS user postgres may enter it."""
    path = Path(tempfile.mkdtemp(prefix="fs-sop-pg-"))
    try:
        path.chmod(mode)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _checkout(base):
    """A copy of setup.sh in ``base``/repo, as in a fresh checkout."""
    scripts = base / "repo" / "scripts"
    scripts.mkdir(parents=True)
    shutil.copy(SETUP_SH, scripts / "setup.sh")
    return scripts / "setup.sh"


def _fs_postgres(setup, env):
    return _run(["bash", "-c", RUN, "bash", setup], env=env, check=False)


def _ok(proc, user, host, port):
    """fs_postgres succeeded and chose ``host``:``port`` and role ``user``."""
    lines = proc.stdout.strip().splitlines()
    assert proc.returncode == 0 and lines and lines[-1] == f"OK {user} {host} {port}", (
        f"fs_postgres exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    )


def _role(host, port, role, as_user="postgres"):
    """'t' if ``role`` is a superuser, 'f' if not, '' if it does not exist."""
    return _run(
        ["psql", "-X", "-w", "-h", host, "-p", port, "-d", "postgres", "-tA"]
        + ["-v", f"role={role}", "-f", "-"],
        stdin="SELECT rolsuper FROM pg_roles WHERE rolname = :'role';\n",
        user=as_user,
        env=_env(),
    ).stdout.strip()


def _login(host, port, role):
    """Who we are when we log in as setup.sh leaves us (PGUSER=role)."""
    return _run(
        ["psql", "-X", "-w", "-d", "postgres", "-tAc", "SELECT current_user"],
        env=_env(PGHOST=host, PGPORT=port, PGUSER=role),
    ).stdout.strip()


def _wrappers(directory, lsclusters):
    """``pg_isready`` and ``pg_lsclusters`` for setup.sh: the system cluster on
    5432 looks stopped, and pg_lsclusters lists ``lsclusters`` (a grep pattern
    of the clusters to show, empty for none)."""
    directory.mkdir()
    isready = directory / "pg_isready"
    isready.write_text(
        "#!/bin/sh\n"
        "# The system cluster on 5432 counts as stopped for this test.\n"
        'case " $* " in *" -p 5432 "*) exit 2 ;; esac\n'
        f'exec {shutil.which("pg_isready")} "$@"\n'
    )
    clusters = directory / "pg_lsclusters"
    if lsclusters:
        body = f'{shutil.which("pg_lsclusters")} "$@" | grep -E {lsclusters!r}\n'
    else:
        body = "exit 0\n"
    clusters.write_text("#!/bin/sh\n" + body)
    for path in (isready, clusters):
        path.chmod(0o755)
    return f"{directory}:{os.environ['PATH']}"


@pytest.fixture
def user():
    _need_root()
    return pwd.getpwuid(os.geteuid()).pw_name


@pytest.fixture
def cluster(user):
    """A throw-away cluster owned by postgres, peer authentication on a unix
    socket in a temporary directory, a free port, and no role for ``user``.
    Stopped and removed afterwards, whatever happens."""
    bindir = _bindir()
    with _tempdir() as base:
        data, sockets = base / "data", base / "run"
        for path in (data, sockets):
            path.mkdir()
            shutil.chown(path, "postgres")
        port = _free_port()
        try:
            _run(
                [bindir / "initdb", "-D", data, "-U", "postgres"]
                + ["--auth-local=peer", "--auth-host=reject", "-E", "UTF8"]
                + ["--locale=C.UTF-8"],
                user="postgres",
            )
            _run(
                [bindir / "pg_ctl", "-D", data, "-l", data / "server.log", "-w"]
                + ["-t", "60", "-o", f"-k {sockets} -p {port} -c listen_addresses=''"]
                + ["start"],
                user="postgres",
            )
            assert _role(sockets, port, user) == "", f"the new cluster knows {user}"
            yield sockets, port
        finally:
            if (data / "postmaster.pid").exists():
                _run(
                    [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                    user="postgres",
                    check=False,
                )


@pytest.mark.parametrize("pguser", ["unset", "exported"])
def test_role_created_on_the_server_we_name(cluster, user, pguser):
    sockets, port = cluster
    extra = {"PGUSER": user} if pguser == "exported" else {}
    with _tempdir() as base:
        setup = _checkout(base)
        env = _env(PGHOST=sockets, PGPORT=port, **extra)
        proc = _fs_postgres(setup, env)
        _ok(proc, user, sockets, port)
        assert "creating PostgreSQL role" in proc.stderr, proc.stderr
        assert _role(sockets, port, user) == "t"
        assert _login(sockets, port, user) == user
        # Once made, the role is used as it is.
        proc = _fs_postgres(setup, env)
        _ok(proc, user, sockets, port)
        assert "creating PostgreSQL role" not in proc.stderr, proc.stderr


def test_stopped_system_cluster_started_and_role_created(user, tmp_path):
    """The system cluster is stopped (no systemd in a container): setup.sh
    starts it with pg_ctlcluster and creates our role in it."""
    if not shutil.which("pg_createcluster"):
        pytest.fail("pg_createcluster is missing: install postgresql-common")
    version = _bindir().parent.name
    name, port = f"fs_sop_test_{os.getpid()}", _free_port()
    try:
        _run(["pg_createcluster", version, name, "-p", port])
        status = _run(["pg_lsclusters", "-h", version, name]).stdout.split()
        assert status[3] == "down", status
        path = _wrappers(tmp_path / "bin", rf"^{re.escape(version)} +{name} ")
        with _tempdir() as base:
            proc = _fs_postgres(_checkout(base), _env(PATH=path))
        _ok(proc, user, SYSTEM_SOCKETS, port)
        assert f"starting the system PostgreSQL cluster {version}/{name}" in proc.stderr
        assert _role(SYSTEM_SOCKETS, port, user) == "t"
        assert _login(SYSTEM_SOCKETS, port, user) == user
    finally:
        _run(["pg_dropcluster", "--stop", version, name], check=False)


@pytest.mark.parametrize("place", ["open", "closed"])
def test_private_cluster_as_root(user, tmp_path, place):
    """No server and no system cluster: the private cluster in .pgdata/, made
    and run by the OS user postgres. ``closed``: the checkout lies in a
    directory postgres cannot enter (mode 0700, like /root)."""
    path = _wrappers(tmp_path / "bin", "")
    port = _free_port()
    with _tempdir(0o700 if place == "closed" else 0o755) as base:
        setup = _checkout(base)
        proc = None
        try:
            proc = _fs_postgres(setup, _env(PATH=path, FS_PGPORT=port))
            lines = proc.stdout.strip().splitlines()
            match = lines and re.fullmatch(rf"OK {user} (\S+) {port}", lines[-1])
            assert proc.returncode == 0 and match, (
                f"fs_postgres exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
            )
            sockets = Path(match[1])
            # In the checkout when postgres can enter it, elsewhere if not.
            inside = sockets == setup.parent.parent / ".pgdata" / "run"
            assert inside == (place == "open"), sockets
            assert _role(sockets, port, user, as_user=None) == "t"
            assert _login(sockets, port, user) == user
        finally:
            _stop_private(setup, proc)


def _stop_private(setup, proc):
    """Stop and remove the private cluster fs_postgres made, wherever it is."""
    output = "" if proc is None else proc.stdout + proc.stderr
    checkout = setup.parent.parent
    candidates = {checkout / ".pgdata"}
    candidates.update(Path(p) for p in re.findall(r"cluster in (\S+)", output))
    bindir = _bindir()
    for data in candidates:
        with suppress(OSError):
            if (data / "postmaster.pid").exists():
                _run(
                    [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                    user="postgres",
                    check=False,
                )
            if not data.is_relative_to(checkout):  # else removed with it
                shutil.rmtree(data)
                data.parent.rmdir()  # ~postgres/fs-sop, if now empty
