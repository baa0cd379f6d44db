# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from PIL import Image, ImageDraw

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

ROLE_GROUPS = {
    "engineer": "field_service_sop.group_fs_engineer",
    "dispatcher": "field_service_sop.group_fs_dispatcher",
    "manager": "field_service_sop.group_fs_manager",
    "director": "field_service_sop.group_fs_director",
    "product_owner": "field_service_sop.group_fs_product_owner",
    "test_manager": "field_service_sop.group_fs_test_manager",
    "rd_manager": "field_service_sop.group_fs_rd_manager",
}


def drawn_signature(
    size=(360, 120), strokes=None, color=(0, 0, 139, 255), image_format="PNG"
):
    """Base64 image like the signature pad draws it: pen strokes on
    transparency (on white for a JPEG).

    ``strokes``: lists of points; by default a signature-like zigzag across
    the pad (SOP S5: customers draw their signature).
    """
    width, height = size
    if strokes is None:
        strokes = [
            [
                (
                    int(width * (0.1 + 0.05 * step)),
                    int(height * (0.3 + 0.4 * (step % 2))),
                )
                for step in range(17)
            ],
            [
                (int(width * 0.15), int(height * 0.8)),
                (int(width * 0.9), int(height * 0.75)),
            ],
        ]
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for points in strokes:
        draw.line(points, fill=color, width=2)
    if image_format == "JPEG":
        paper = Image.new("RGB", size, "white")
        paper.paste(image, mask=image)
        image = paper
    stream = io.BytesIO()
    image.save(stream, format=image_format)
    return base64.b64encode(stream.getvalue())


class FsSopCommon(TransactionCase):
    """One user per SOP role in a company of its own, plus a second company.

    Never depends on demo data (STYLE.md, tests).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create({"name": "FS Test Co"})
        cls.company_b = cls.env["res.company"].create({"name": "FS Other Co"})
        cls.users = {}
        for role, group in ROLE_GROUPS.items():
            cls.users[role] = new_test_user(
                cls.env,
                login=f"fs_unit_{role}",
                groups=f"base.group_user,{group}",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
        cls.plain_user = new_test_user(
            cls.env,
            login="fs_unit_plain",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )


class FsReportCommon(FsSopCommon):
    """A customer with a contact, a lead engineer, and builders of an issued
    dispatch order and of its service report (health check: no consent)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["hr.employee"].create(
            {
                "name": "Lead Eng",
                "user_id": cls.users["engineer"].id,
                "company_id": cls.company.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "East Bank", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Ms Chen (IT)",
                "parent_id": cls.customer.id,
                "email": "chen@eastbank.example.com",
            }
        )
        cls.health = cls.env.ref("field_service_sop.fs_service_type_health_check")

    def _fs_order(self, **vals):
        """A draft dispatch order of the lead engineer (as the dispatcher)."""
        values = {
            "company_id": self.company.id,
            "partner_id": self.customer.id,
            "service_type_id": self.health.id,
            "purpose": "Health check",
            "content": "Check the servers",
            "engineer_ids": [(6, 0, self.lead.ids)],
            "lead_engineer_id": self.lead.id,
            **vals,
        }
        Order = self.env["fs.dispatch.order"].with_user(self.users["dispatcher"])
        return Order.create(values)

    def _fs_report(self, arrival, **vals):
        """A draft report (as the engineer) on a newly issued order."""
        order = self._fs_order()
        order.with_user(self.users["manager"]).action_issue()
        values = {"order_id": order.id, "arrival_at": arrival, **vals}
        Report = self.env["fs.service.report"].with_user(self.users["engineer"])
        return Report.create(values)
