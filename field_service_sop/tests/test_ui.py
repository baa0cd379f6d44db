# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSopTour(HttpCase):
    # A desktop wide enough for every section of the app's menu bar (with My
    # Jobs, English labels overflow 1366 px and Configuration moves to "+").
    browser_size = "1920x1080"

    def test_menu_and_settings_tour(self):
        """The app opens from the home menu and its SOP settings save (S8)."""
        company = self.env.ref("base.main_company")
        company.fs_report_entry_hours = 48
        self.start_tour("/odoo", "field_service_sop_menu_tour", login="admin")
        company.invalidate_recordset()
        self.assertEqual(company.fs_report_entry_hours, 36)
