# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.2.0: customer documents in the customer's time zone (issue 12.3).

The emergency-departure e-mail template is ``noupdate`` (companies reword
it), so an upgrade does not reload it. Its expected arrival was rendered in
the contact's zone, else in the zone of the user sending it (the scheduled
action's admin); point that one expression, in every language, at the
customer's zone (else the company's), and leave each company's wording alone.
"""

OLD = "tz=(object.site_contact_id or object.partner_id).tz or user.tz"
NEW = "tz=object._fs_customer_tz()"


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
           AND d.name = 'fs_dispatch_order_mail_template_emergency_departure'
           AND t.body_html::text LIKE %(like)s
        """,
        {"old": OLD, "new": NEW, "like": "%object.partner_id).tz or user.tz%"},
    )
