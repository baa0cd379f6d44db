# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fixtures for tests that drive a *running* Odoo from outside.

They start ``odoo-bin`` as a separate process (``scripts/test.sh`` exports where
it is) on a free port and talk JSON-RPC to it, as an integration would.
"""

import itertools
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress

import pytest

ADMIN = ("admin", "admin")
MODULE = "field_service_sop"


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these tests through `make test`.")
    return value


class OdooCli:
    """Runs odoo-bin with the project's configuration."""

    def __init__(self):
        self.python = _env("FS_PY")
        self.odoo_bin = _env("FS_ODOO_BIN")
        self.config = _env("FS_ODOO_CONF")

    def cmd(self, db, *args):
        return [self.python, self.odoo_bin, "-c", self.config, "-d", db, *args]

    def run(self, db, *args, timeout=900):
        """Run to completion; fail the test on a non-zero exit or a logged error."""
        proc = subprocess.run(
            self.cmd(db, "--stop-after-init", "--log-level=warn", *args),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = proc.stdout + proc.stderr
        errors = [
            line
            for line in output.splitlines()
            if re.search(r" (ERROR|CRITICAL) ", line)
        ]
        assert proc.returncode == 0 and not errors, (
            f"odoo-bin {' '.join(args)} failed (exit {proc.returncode}):\n"
            f"{output[-4000:]}"
        )
        return output

    def shell_results(self, db, script, timeout=300):
        """Run ``script`` in ``odoo-bin shell`` on ``db``; return its RESULT lines.

        The concurrency scripts open their own cursors, commit for real and
        print one ``RESULT ...`` line per scenario; no line fails the test with
        the end of the output.
        """
        proc = subprocess.run(
            # The sub-command comes first on odoo-bin's command line.
            [self.python, self.odoo_bin, "shell", "-c", self.config, "-d", db]
            + ["--no-http", "--log-level=warn"],
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT")]
        assert lines, proc.stdout[-3000:] + proc.stderr[-3000:]
        return lines

    @contextmanager
    def server(self, db):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        proc = subprocess.Popen(
            self.cmd(
                db,
                f"--http-port={port}",
                "--http-interface=127.0.0.1",
                f"--db-filter=^{db}$",
                "--max-cron-threads=0",
                "--log-level=warn",
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                # Not up yet, or too busy to answer within 5 s (a loaded
                # machine): poll again until the deadline.
                with suppress(urllib.error.URLError, ConnectionError, TimeoutError):
                    with urllib.request.urlopen(f"{url}/web/health", timeout=5) as resp:
                        if resp.status == 200:
                            break
                assert proc.poll() is None, f"odoo-bin exited with {proc.returncode}"
                assert time.monotonic() < deadline, "odoo-bin did not answer in 120 s"
                time.sleep(0.5)
            yield JsonRpc(url, db)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


class JsonRpc:
    """Minimal client of Odoo's external API (/jsonrpc)."""

    _ids = itertools.count(1)

    def __init__(self, url, db):
        self.url = url
        self.db = db

    def call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(self._ids),
            "params": {"service": service, "method": method, "args": list(args)},
        }
        request = urllib.request.Request(
            f"{self.url}/jsonrpc",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=600) as resp:
            body = json.load(resp)
        if "error" in body:
            raise RpcError(body["error"])
        return body["result"]

    def login(self, login, password):
        return self.call("common", "login", self.db, login, password)

    def as_user(self, login, password):
        uid = self.login(login, password)
        assert uid, f"{login} cannot log in"
        return UserRpc(self, uid, password)

    def get(self, path):
        with urllib.request.urlopen(f"{self.url}{path}", timeout=60) as resp:
            return resp.status, resp.read().decode()


class UserRpc:
    def __init__(self, rpc, uid, password):
        self.rpc, self.uid, self.password = rpc, uid, password

    def __call__(self, model, method, *args, **kwargs):
        return self.rpc.call(
            "object",
            "execute_kw",
            self.rpc.db,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )

    def xmlid(self, xmlid):
        """Database id of an XML id, or False."""
        module, name = xmlid.split(".")
        rows = self(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        return rows[0]["res_id"] if rows else False


@pytest.fixture(scope="session")
def odoo():
    return OdooCli()


@pytest.fixture(scope="session")
def demo_db():
    """A copy of the test database, installed with demo data by `make test`."""
    return _env("FS_DEMO_DB")


@pytest.fixture
def fresh_db(request):
    """A new empty database name, dropped after the test."""
    name = f"fs_sop_lc_{os.getpid()}_{request.node.name[:20].lower()}"
    subprocess.run(["dropdb", "--if-exists", name], check=False, capture_output=True)
    yield name
    subprocess.run(["dropdb", "--if-exists", name], check=False, capture_output=True)
