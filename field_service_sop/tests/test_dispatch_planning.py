# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import FsDispatchCommon, build_issued_order

WINDOW_START = datetime(2026, 3, 2, 9, 0)
WINDOW_END = datetime(2026, 3, 2, 12, 0)
ISSUED = datetime(2026, 3, 2, 8, 0)


@tagged("post_install", "-at_install")
class TestDispatchPlanning(FsDispatchCommon):
    """The dispatcher's planning (issue 12.5): a timeline per engineer, a
    calendar that shows issued orders too, cards with purpose and visit
    window, a map link per site."""

    def _views(self, user="dispatcher"):
        Order = self.env["fs.dispatch.order"].with_user(self.users[user])
        views = Order.get_views(
            [(False, "timeline"), (False, "calendar"), (False, "kanban")]
        )
        return {
            view_type: etree.fromstring(view["arch"])
            for view_type, view in views["views"].items()
        }

    def _calendar_domain(self, arch, start, end):
        """What the calendar view searches for the range [start, end)."""
        date_start = arch.get("date_start")
        date_stop = arch.get("date_stop") or date_start
        return [(date_start, "<", end), (date_stop, ">=", start)]

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------
    def test_timeline_per_lead_engineer(self):
        """One line per lead engineer, bars from planned start to end, colored
        by state; not editable by dragging (moves go through the wizards)."""
        arch = self._views()["timeline"]
        self.assertEqual(arch.tag, "timeline")
        self.assertEqual(arch.get("default_group_by"), "lead_engineer_id")
        self.assertEqual(arch.get("date_start"), "planned_start")
        self.assertEqual(arch.get("date_stop"), "planned_end")
        self.assertIn("state == 'issued'", arch.get("colors"))
        for attr in ("edit", "create", "delete"):
            self.assertEqual(arch.get(attr), "0", attr)
        names = {field.get("name") for field in arch.iter("field")}
        self.assertLessEqual(
            {"name", "partner_id", "purpose", "appointment_at", "state"}, names
        )
        action = self.env.ref("field_service_sop.fs_dispatch_order_action")
        self.assertIn("timeline", action.view_mode.split(","))
        self.assertIn("calendar", action.view_mode.split(","))

    def test_engineer_opens_the_timeline_too(self):
        arch = self._views("engineer")["timeline"]
        self.assertEqual(arch.get("default_group_by"), "lead_engineer_id")

    def test_kanban_card_purpose_window_map(self):
        arch = self._views()["kanban"]
        names = {field.get("name") for field in arch.iter("field")}
        self.assertLessEqual({"purpose", "window_start", "window_end"}, names)
        self.assertTrue(arch.xpath("//button[@name='action_open_site_map']"))

    def test_form_has_the_map_button(self):
        Order = self.env["fs.dispatch.order"].with_user(self.users["engineer"])
        form = etree.fromstring(Order.get_view(view_type="form")["arch"])
        self.assertTrue(form.xpath("//button[@name='action_open_site_map']"))

    # ------------------------------------------------------------------
    # Calendar: issued orders are planned too
    # ------------------------------------------------------------------
    def test_calendar_shows_issued_order_without_appointment(self):
        """An issued order with a visit window but no appointment yet shows in
        the calendar of that day (it was invisible: the calendar read only
        the confirmed appointment)."""
        with freeze_time(ISSUED):
            order = self._issued_order(
                arrived_at=None, window_start=WINDOW_START, window_end=WINDOW_END
            )
        self.assertEqual(order.state, "issued")
        self.assertFalse(order.appointment_at)
        arch = self._views()["calendar"]
        Order = self.env["fs.dispatch.order"].with_user(self.users["dispatcher"])
        domain = self._calendar_domain(
            arch, datetime(2026, 3, 2, 0, 0), datetime(2026, 3, 3, 0, 0)
        )
        self.assertIn(order, Order.search(domain))
        other_day = self._calendar_domain(
            arch, datetime(2026, 3, 3, 0, 0), datetime(2026, 3, 4, 0, 0)
        )
        self.assertNotIn(order, Order.search(other_day))

    def test_planned_span_fallbacks(self):
        """Appointment, else visit window, else issue time, each for the
        expected duration of the service type."""
        self.assertEqual(self.fault.planned_hours, 2.0)
        with freeze_time(ISSUED):
            bare = self._issued_order(arrived_at=None)
            windowed = self._issued_order(arrived_at=None, window_start=WINDOW_START)
            closing = self._issued_order(arrived_at=None, window_end=WINDOW_END)
        self.assertEqual(bare.planned_hours, 2.0)
        self.assertEqual(
            (bare.planned_start, bare.planned_end),
            (ISSUED, ISSUED + timedelta(hours=2)),
        )
        self.assertEqual(
            (windowed.planned_start, windowed.planned_end),
            (WINDOW_START, WINDOW_START + timedelta(hours=2)),
        )
        self.assertEqual(
            (closing.planned_start, closing.planned_end),
            (WINDOW_END - timedelta(hours=2), WINDOW_END),
        )
        # The dispatcher corrects the duration; the appointment then wins.
        windowed.with_user(self.users["dispatcher"]).planned_hours = 3.5
        appointment = datetime(2026, 3, 2, 10, 30)
        windowed.with_user(self.users["engineer"]).write(
            {"contact_at": datetime(2026, 3, 2, 8, 30), "appointment_at": appointment}
        )
        self.assertEqual(
            (windowed.planned_start, windowed.planned_end),
            (appointment, appointment + timedelta(hours=3.5)),
        )

    def test_draft_without_dates_is_planned_from_creation(self):
        order = self._order()
        self.assertTrue(order.create_date)
        self.assertEqual(order.planned_start, order.create_date)
        self.assertEqual(order.planned_end, order.create_date + timedelta(hours=2))

    def test_negative_duration_refused(self):
        order = self._order()
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            order.with_user(self.users["dispatcher"]).planned_hours = -1
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.fault.planned_hours = -2

    # ------------------------------------------------------------------
    # Map link per site
    # ------------------------------------------------------------------
    def _query(self, url):
        return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}

    def test_map_url_openstreetmap(self):
        self.company.fs_map_provider = "osm"
        partner = self.customer.with_company(self.company)
        url = partner.fs_map_url
        self.assertTrue(url.startswith("https://www.openstreetmap.org/search?"), url)
        query = self._query(url)["query"]
        self.assertIn("1 Bund Rd", query)
        self.assertIn("Shanghai", query)
        self.assertNotIn("\n", query)

    def test_map_url_amap_for_china_by_default(self):
        """Automatic (the default): Amap for a site in China, where it knows
        the addresses and opens the app on a phone; OpenStreetMap elsewhere."""
        self.assertEqual(self.company.fs_map_provider, "auto")
        china = self.env.ref("base.cn")
        site = self.env["res.partner"].create(
            {
                "name": "Pudong DC",
                "parent_id": self.customer.id,
                "type": "other",
                "street": "浦东新区张江路 88 号",
                "city": "上海",
                "country_id": china.id,
            }
        )
        url = site.with_company(self.company).fs_map_url
        self.assertTrue(url.startswith("https://uri.amap.com/search?"), url)
        query = self._query(url)
        self.assertIn("浦东新区张江路 88 号", query["keyword"])
        self.assertEqual(query["city"], "上海")
        abroad = self.env["res.partner"].create(
            {"name": "Lyon", "city": "Lyon", "country_id": self.env.ref("base.fr").id}
        )
        self.assertIn("openstreetmap.org", abroad.with_company(self.company).fs_map_url)
        self.company.fs_map_provider = "baidu"
        site.invalidate_recordset(["fs_map_url"])
        url = site.with_company(self.company).fs_map_url
        self.assertTrue(url.startswith("https://api.map.baidu.com/geocoder?"), url)
        self.assertIn("浦东新区张江路 88 号", self._query(url)["address"])

    def test_map_url_needs_an_address(self):
        nowhere = self.env["res.partner"].create({"name": "No Address"})
        self.assertFalse(nowhere.fs_map_url)
        order = self._order(partner_id=nowhere.id)
        self.assertFalse(order.site_map_url)
        with self.assertRaisesRegex(UserError, "no address"):
            order.with_user(self.users["dispatcher"]).action_open_site_map()

    def test_order_map_link_follows_the_site_contact(self):
        self.company.fs_map_provider = "osm"
        site = self.env["res.partner"].create(
            {
                "name": "Backup Site",
                "parent_id": self.customer.id,
                "type": "other",
                "street": "9 Harbour Rd",
                "city": "Ningbo",
            }
        )
        order = self._issued_order(arrived_at=None, site_contact_id=site.id)
        as_engineer = order.with_user(self.users["engineer"])
        self.assertIn("Ningbo", self._query(as_engineer.site_map_url)["query"])
        action = as_engineer.action_open_site_map()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], as_engineer.site_map_url)
        self.assertEqual(action["target"], "new")
        # The address corrected on the order wins over the contact's.
        order.with_user(self.users["dispatcher"]).site_address = "Gate 3, 12 Dock St"
        self.assertEqual(
            self._query(as_engineer.site_map_url)["query"], "Gate 3, 12 Dock St"
        )

    def test_order_map_link_ignores_the_language_of_the_address_text(self):
        """The stored address text names the country in its creator's
        language; the map still uses the site's fields (Amap for China)."""
        self.customer.country_id = self.env.ref("base.cn")
        order = self._order()
        self.assertIn("China", order.site_address)
        # As a Chinese dispatcher's order stores it.
        order.with_user(
            self.users["dispatcher"]
        ).site_address = "中国\nShanghai 1 Bund Rd"
        url = order.site_map_url
        self.assertTrue(url.startswith("https://uri.amap.com/search?"), url)
        self.assertEqual(self._query(url)["keyword"], "Shanghai 1 Bund Rd")


@tagged("post_install", "-at_install")
class TestDispatchPlanningTour(HttpCase):
    def test_dispatcher_opens_the_timeline(self):
        """The dispatcher switches the dispatch orders to the timeline and
        finds an issued order, without appointment, on its lead engineer's
        line (issue 12.5); the calendar loads it too. The dispatcher works in
        Chinese, the test browser in English: the timeline's axis follows the
        user's language (it followed the browser's, Ukrainian for a Chinese
        browser). The tour fails on any JavaScript error."""
        company = self.env.ref("base.main_company")
        self.env["res.lang"]._activate_lang("zh_CN")
        dispatcher = new_test_user(
            self.env,
            login="fs_tour_planner",
            groups="base.group_user,field_service_sop.group_fs_dispatcher",
            company_id=company.id,
            lang="zh_CN",
        )
        manager = new_test_user(
            self.env,
            login="fs_tour_plan_manager",
            groups="base.group_user,field_service_sop.group_fs_manager",
            company_id=company.id,
        )
        lead = self.env["hr.employee"].create(
            {"name": "Timeline Lead", "company_id": company.id}
        )
        customer = self.env["res.partner"].create(
            {"name": "Timeline Customer", "is_company": True, "city": "Suzhou"}
        )
        # Today, so that the timeline's week shows it whatever day the test runs.
        today = fields.Date.context_today(self.env.user)
        order = build_issued_order(
            self.env,
            dispatcher,
            manager,
            customer,
            lead,
            purpose="Timeline purpose",
            window_start=datetime.combine(today, time(3, 0)),
            window_end=datetime.combine(today, time(6, 0)),
        )
        self.assertEqual(order.state, "issued")
        self.start_tour(
            "/odoo/fs-dispatch-orders",
            "fs_dispatch_timeline_tour",
            login="fs_tour_planner",
        )
