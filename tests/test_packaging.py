# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon builds as an OCA-style wheel (whool) that declares what it needs."""

import ast
import email
import subprocess
import sys
import zipfile
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "field_service_sop"


def test_wheel_declares_version_and_oca_dependencies(tmp_path):
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text())
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ADDON),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("odoo_addon_field_service_sop-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = email.message_from_bytes(archive.read(meta_name))
    assert meta["Name"] == "odoo-addon-field_service_sop"
    assert meta["Version"].startswith(manifest["version"])
    requires = set(meta.get_all("Requires-Dist"))
    assert "odoo==18.0.*" in requires
    assert "odoo-addon-helpdesk_mgmt==18.0.*" in requires
    assert "odoo/addons/field_service_sop/__manifest__.py" in names
