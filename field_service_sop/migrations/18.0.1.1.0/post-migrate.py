# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: signed reports render from their seal snapshot (issue 10.3).

The signed-report e-mail template is ``noupdate`` (companies reword it), so an
upgrade does not reload it. Its body printed the live order number; point that
one expression, in every language, at the sealed value, and leave the rest of
each company's wording alone.
"""

OLD = "t-out=\"object.order_number or ''\""
NEW = "t-out=\"object._fs_document()['order_number'] or ''\""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE mail_template t
           SET body_html = (
                SELECT jsonb_object_agg(key, replace(value, %(old)s, %(new)s))
                  FROM jsonb_each_text(t.body_html)
               )
          FROM ir_model_data d
         WHERE d.model = 'mail.template'
           AND d.res_id = t.id
           AND d.module = 'field_service_sop'
           AND d.name = 'fs_service_report_mail_template_signed'
           AND t.body_html::text LIKE %(like)s
        """,
        {"old": OLD, "new": NEW, "like": "%object.order_number or%"},
    )
