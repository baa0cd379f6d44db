# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 12: no English left on a Chinese screen.

The module's views, the customer's portal page and the two PDFs are rendered
in zh_CN; any English term of the module's ``.pot`` seen there is a string
that was never translated (or never exported). Identity terms (rule ids,
"SLA", units: the msgids whose zh_CN msgstr is the msgid itself) are allowed.
"""

import re
from functools import lru_cache

import polib
from lxml import etree, html

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import file_path

from .common import ROLE_GROUPS, SIGNATURE, FsReportCommon

MODELS = (
    "fs.dispatch.order",
    "fs.service.report",
    "fs.sla.timer",
    "fs.escalation",
    "fs.emergency.plan",
)
VIEW_TYPES = ("form", "list", "kanban", "search", "calendar", "pivot", "graph")
# Attributes shown to the person (labels, tooltips, placeholders, prompts).
SHOWN_ATTRIBUTES = (
    "string",
    "help",
    "placeholder",
    "confirm",
    "sum",
    "title",
    "aria-label",
    "alt",
)
HIDDEN_TAGS = {"script", "style", "head", "template"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
MARKUP = re.compile(r"<[^>]*>")
WORD = re.compile(r"[A-Za-z]+")
# An SOP rule id (D12, S9, E4): kept in tooltips and help, not in labels.
RULE_ID = re.compile(r"(?<![A-Za-z0-9])[DSREQ]\d{1,2}(?![0-9])")
LABELLED = ("page", "group", "button", "filter", "field", "separator", "label")


def _normal(text):
    return " ".join((text or "").split())


@lru_cache(maxsize=1)
def english_terms():
    """(exact, anywhere): the English terms of the module's template.

    ``exact`` are compared to a whole shown text (short words such as "by"
    or "Open" would match too much of a page inside a longer text);
    ``anywhere`` (two words or more) are looked for inside any shown text.
    Terms with placeholders or markup give their English fragments.
    """
    pot = polib.pofile(file_path("field_service_sop/i18n/field_service_sop.pot"))
    po = polib.pofile(file_path("field_service_sop/i18n/zh_CN.po"))
    identity = {entry.msgid for entry in po if entry.msgstr == entry.msgid}
    exact, anywhere = set(), set()
    for entry in pot:
        if entry.msgid in identity:
            continue
        for fragment in PLACEHOLDER.split(MARKUP.sub("\n", entry.msgid)):
            for line in fragment.split("\n"):
                term = _normal(line).strip(" :;,.()-")
                words = WORD.findall(term)
                if not words or term in identity:
                    continue
                exact.add(term)
                if len(words) >= 2 and len(term) >= 8:
                    anywhere.add(term)
    return frozenset(exact), frozenset(anywhere)


@lru_cache(maxsize=1)
def _anywhere_pattern():
    _exact, anywhere = english_terms()
    alternatives = "|".join(
        re.escape(term) for term in sorted(anywhere, key=len, reverse=True)
    )
    return re.compile(rf"(?<![A-Za-z])(?:{alternatives})(?![A-Za-z])")


def english_in(texts):
    """The English terms found in ``texts`` (an iterable of shown strings)."""
    exact, _anywhere = english_terms()
    pattern = _anywhere_pattern()
    found = set()
    for text in texts:
        text = _normal(text)
        if not WORD.search(text):
            continue
        if text.strip(" :;,.()-") in exact:
            found.add(text)
        found.update(pattern.findall(text))
    return found


def html_texts(markup):
    """The texts a browser shows of the HTML ``markup``: text nodes outside
    scripts and styles, and the attributes read to the person."""
    root = html.fromstring(markup)
    texts = []
    for element in root.iter():
        hidden = not isinstance(element.tag, str) or element.tag in HIDDEN_TAGS
        if not hidden:
            texts.append(element.text)
            texts.extend(element.get(name) for name in SHOWN_ATTRIBUTES)
        # The tail follows the element: shown unless its parent is hidden.
        parent = element.getparent()
        if parent is None or parent.tag not in HIDDEN_TAGS:
            texts.append(element.tail)
    return [text for text in texts if text]


def arch_texts(arch):
    """The texts of a view's architecture: text nodes and shown attributes."""
    texts = []
    for element in etree.fromstring(arch).iter():
        if isinstance(element.tag, str):
            texts.append(element.text)
            texts.extend(element.get(name) for name in SHOWN_ATTRIBUTES)
        texts.append(element.tail)
    return [text for text in texts if text]


def field_texts(model, fields, owned):
    """Labels, tooltips and selection labels of a ``fields_get`` answer of
    ``model`` that are ours (``owned``: the (model, field) and (model, field,
    value) whose record has an xmlid of the module, i.e. whose translation is
    in our .po). A label of another module (``create_date`` of a ticket, the
    values of ``mail``'s ``activity_state``) is that module's to translate."""
    texts = []
    for name, description in fields.items():
        if (model, name) in owned:
            for key in ("string", "help"):
                if description.get(key):
                    texts.append((f"{name}.{key}", description[key]))
        for value, label in description.get("selection") or ():
            if (model, name, value) in owned:
                texts.append((f"{name}.selection.{value}", label))
    return texts


@tagged("post_install", "-at_install")
class TestZhCnScan(FsReportCommon, HttpCase):
    """SOP-wide (issue 12): a Chinese user sees no English of ours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # All installed modules: a label of ours may be shown through a
        # field of a module we extend.
        cls.env["ir.module.module"].search(
            [("state", "=", "installed")]
        )._update_translations(["zh_CN"], overwrite=True)
        # Chinese data: only our labels may bring English to the screen.
        cls.customer.write({"name": "华东银行", "lang": "zh_CN"})
        cls.contact.write(
            {"name": "陈女士", "email": "chen@eastbank.example.com", "lang": "zh_CN"}
        )
        cls.lead.name = "李娜"
        cls.second.name = "张伟"
        cls.company.name = "上海现场服务有限公司"
        for user in cls.users.values():
            user.lang = "zh_CN"
        cls.viewer = new_test_user(
            cls.env,
            login="fs_zh_viewer",
            groups=",".join(
                ["base.group_user", "base.group_system", *ROLE_GROUPS.values()]
            ),
            company_id=cls.company.id,
            company_ids=[cls.company.id],
            lang="zh_CN",
        )
        cls.portal_user = new_test_user(
            cls.env, login="fs_zh_portal", groups="base.group_portal", lang="zh_CN"
        )
        cls.portal_user.partner_id.write(
            {"name": "陈女士", "parent_id": cls.customer.id}
        )

    def _chinese_report(self):
        order = self._issued_order(
            service_type_id=self.health.id,
            purpose="服务器巡检",
            content="检查服务器与存储",
            attention_points="先备份",
        )
        report = self._complete(self._report(order=order))
        report.with_user(self.users["engineer"]).write(
            {
                "symptoms": "磁盘告警",
                "work_done": "更换 3 号磁盘，重建阵列",
                "cause": "磁盘老化",
                "recommended_measures": "每季度巡检",
            }
        )
        report.part_ids.write(
            {
                "description": "SAS 硬盘 600GB",
                "new_serial": "SN-1",
                "old_serial": "SN-0",
                "new_part_number": "DK-600",
                "old_part_number": "DK-600",
            }
        )
        return report

    def _ours(self, model):
        """The records of ``model`` with an xmlid of the module: those whose
        labels the module's .po translates."""
        return (
            self.env[model]
            .sudo()
            .browse(
                self.env["ir.model.data"]
                .sudo()
                .search([("module", "=", "field_service_sop"), ("model", "=", model)])
                .mapped("res_id")
            )
        )

    def _owned_fields(self):
        """(model, field) and (model, field, value) of our fields and
        selection values (see ``field_texts``)."""
        return {
            (field.model, field.name) for field in self._ours("ir.model.fields")
        } | {
            (value.field_id.model, value.field_id.name, value.value)
            for value in self._ours("ir.model.fields.selection")
        }

    def assertNoEnglish(self, where, texts):
        found = english_in(texts)
        self.assertFalse(found, f"English left on the zh_CN {where}: {sorted(found)}")

    # ------------------------------------------------------------------
    # The scanner itself
    # ------------------------------------------------------------------
    def test_scanner_sees_a_leftover(self):
        """The scan is not blind: an untranslated label of ours is found,
        a Chinese text or an identity term (rule id, SLA) is not."""
        exact, anywhere = english_terms()
        self.assertIn("Dispatch Order", exact)
        self.assertIn("Dispatch Order", anywhere)
        # "D12" is a msgid translated as itself: an identity term.
        pot = polib.pofile(file_path("field_service_sop/i18n/field_service_sop.pot"))
        self.assertIn("D12", {entry.msgid for entry in pot})
        self.assertNotIn("D12", exact)
        self.assertEqual(
            english_in(["派工单", "规范 D12", "D12", "Dispatch Order"]),
            {"Dispatch Order"},
        )
        self.assertEqual(
            english_in(["<b>x</b> 查看 Dispatch Order 12"]), {"Dispatch Order"}
        )
        self.assertEqual(english_in([" Customer: "]), {"Customer:"})

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------
    def test_views_in_zh_cn(self):
        """Every view of our five documents, with its fields' labels, tooltips
        and selection labels, reads in Chinese."""
        views = (
            self.env["ir.ui.view"]
            .sudo()
            .search(
                [
                    ("model", "in", MODELS),
                    ("mode", "=", "primary"),
                    ("type", "in", VIEW_TYPES),
                ]
            )
        )
        self.assertGreaterEqual(len(views), 20)
        owned = self._owned_fields()
        leftovers = {}
        for view in views:
            model = (
                self.env[view.model].with_user(self.viewer).with_context(lang="zh_CN")
            )
            result = model.get_views([(view.id, view.type)])
            arch = result["views"][view.type]["arch"]
            found = english_in(arch_texts(arch))
            for model_name, described in result["models"].items():
                texts = field_texts(model_name, described["fields"], owned)
                for where, text in texts:
                    for term in english_in([text]):
                        found.add(f"{term} ({model_name}.{where})")
            if found:
                leftovers[view.xml_id or view.name] = sorted(found)
        self.assertFalse(leftovers, f"English left on zh_CN views: {leftovers}")

    def test_labels_carry_no_rule_id(self):
        """Tabs, sections, buttons, filters and field labels name what they
        show; the SOP rule id is in their tooltip (issue 12: "规范 D12" in a
        tab label)."""
        views = self._ours("ir.ui.view").filtered(lambda view: view.type != "qweb")
        fields_ = self._ours("ir.model.fields")
        self.assertGreaterEqual(len(views), 40)
        labels = []
        for lang in ("en_US", "zh_CN"):
            for view in views.with_context(lang=lang):
                for element in etree.fromstring(view.arch_db).iter(*LABELLED):
                    label = element.get("string") or ""
                    if RULE_ID.search(label):
                        labels.append(f"{view.xml_id} <{element.tag}>: {label}")
            for field in fields_.with_context(lang=lang):
                if RULE_ID.search(field.field_description or ""):
                    labels.append(
                        f"{field.model}.{field.name}: {field.field_description}"
                    )
        self.assertFalse(labels, "\n".join(labels))

    def test_reports_group_by_labelled_values(self):
        """A pivot's columns or a chart's legend group by values with labels,
        never by a boolean (issue 12: "false/true" as the attainment
        legend)."""
        views = self.env["ir.ui.view"].search(
            [("type", "in", ("pivot", "graph")), ("model", "like", "fs.%")]
        )
        self.assertIn(self.env.ref("field_service_sop.fs_sla_timer_view_graph"), views)
        booleans = []
        for view in views:
            arch = etree.fromstring(view.arch_db)
            for element in arch.iter("field"):
                if element.get("type") == "measure":
                    continue
                field = self.env[view.model]._fields[element.get("name")]
                if field.type == "boolean":
                    booleans.append(f"{view.xml_id}: {field.name}")
        self.assertFalse(booleans)
        attainment = self.env["fs.sla.timer"].with_context(lang="zh_CN")
        labels = dict(
            attainment._fields["attainment"]._description_selection(attainment.env)
        )
        self.assertEqual(labels, {"attained": "已达成", "missed": "未达成"})

    # ------------------------------------------------------------------
    # Portal and PDFs
    # ------------------------------------------------------------------
    def test_portal_page_in_zh_cn(self):
        """The customer's page of a report to sign (SOP S2, S12), as the
        customer's portal user reading Chinese."""
        report = self._chinese_report()
        report.with_user(self.users["engineer"]).portal_partner_id = self.contact
        report.with_user(self.users["engineer"]).action_send_for_signature()
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(report.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("华东银行", page.text)
        self.assertNoEnglish("portal page", html_texts(page.text))
        # The second step: ratings chosen, the signature pad shown.
        page = self.url_open(
            report.get_portal_url(
                query_string="&rating_attitude=5&rating_response=4"
                "&rating_effect=5&rating_overall=9"
            )
        )
        self.assertEqual(page.status_code, 200)
        self.assertNoEnglish("portal page (signing)", html_texts(page.text))
        list_page = self.url_open("/my/service-reports")
        self.assertEqual(list_page.status_code, 200)
        self.assertNoEnglish("portal list", html_texts(list_page.text))

    def test_pdfs_in_zh_cn(self):
        """The dispatch order sheet (SOP D1) and the signed service report
        (SOP S2, S7, S12) of a Chinese customer."""
        report = self._chinese_report()
        report.with_user(self.users["engineer"]).action_customer_sign(
            self._accept_values(customer_comments="很好", signature=SIGNATURE)
        )
        self.assertEqual(report.state, "signed")
        Report = self.env["ir.actions.report"].with_context(lang="zh_CN")
        for xmlid, record in (
            ("field_service_sop.action_report_fs_dispatch_order", report.order_id),
            ("field_service_sop.action_report_fs_service_report", report),
        ):
            content, _kind = Report._render_qweb_html(xmlid, record.ids)
            markup = content.decode() if isinstance(content, bytes) else content
            self.assertIn("华东银行", markup)
            self.assertNoEnglish(xmlid, html_texts(markup))
        # The completion *time* (SOP S7), not the seed's "completion status".
        self.assertIn("完成时间", markup)
        self.assertNotIn("完成情况", markup)
