# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the reimbursement gate (SOP R1, R2) and its backstop sweep.

Run by ``bash scripts/bench.sh`` inside ``odoo-bin shell`` on a throw-away
database (``env`` is given). Creates N travel expenses citing N dispatch orders
(one unsigned service report each, no maintenance record), on submitted
expense reports of 10 lines: 95 % are suspended by the gate, 5 % (whole
reports) are signed with their record and not suspended. Prints:

- the backstop sweep (``_cron_fs_recheck_expense_gate``, batches of 500) over
  the N expenses with nothing changed: time, queries, queries per batch;
- the same sweep after 1 % of the reports were signed and given their record
  behind the gate's back (SQL): time and queries per released expense;
- ``hr.expense.sheet._fs_check_reimbursable`` on a report of 10 lines and one
  of 200 lines (each citing its own order): queries must be equal.

Queries must not grow with the records of a batch; the sweep's extra work must
grow with the expenses released, not with those it re-checks.
"""
# Benchmarks print their figures: that is their output.
# pylint: disable=print-used

import os
import sys
import time

from odoo.exceptions import UserError
from odoo.modules import get_module_path

# bench/_common.py (bench.sh pipes this script to the shell: no __file__).
sys.path.insert(
    0, os.path.join(os.path.dirname(get_module_path("field_service_sop")), "bench")
)
from _common import issued_orders  # noqa: E402  pylint: disable=wrong-import-position

N = int(os.environ.get("FS_BENCH_N", "10000"))
BATCH = 500
LINES = 10  # expenses per expense report


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone(cr, table, template_id, **arrays):
    """Insert one copy of row ``template_id`` per element of the arrays.

    ``arrays`` maps a column to the list of its values (same lengths); the
    other columns are copied from the template. Returns the new ids in the
    order of the arrays (bench set-up only: SQL, as the ORM is too slow).
    """
    names = list(arrays)
    table_cols = columns(cr, table)
    select = ", ".join(f'v."{c}"' if c in arrays else f't."{c}"' for c in table_cols)
    cols = ", ".join(f'"{c}"' for c in table_cols)
    unnest = ", ".join(["%s"] * (len(names) + 1))
    aliases = ", ".join(f'"{c}"' for c in names)
    size = len(arrays[names[0]])
    cr.execute(
        f'INSERT INTO "{table}" ({cols}) '
        f'SELECT {select} FROM "{table}" t, '
        f"unnest({unnest}) AS v({aliases}, _ord) "
        "WHERE t.id = %s ORDER BY v._ord RETURNING id",
        [*arrays.values(), list(range(size)), template_id],
    )
    return sorted(row[0] for row in cr.fetchall())


def sweep(env):
    """Run the backstop until nothing remains, as the cron runner would."""
    Expense = env["hr.expense"]
    per_batch, total_done = [], 0
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    while True:
        env.invalidate_all()  # each cron call starts with an empty cache
        before = env.cr.sql_log_count
        done, remaining = Expense._cron_fs_recheck_expense_gate(batch_size=BATCH)
        if done:
            per_batch.append((done, env.cr.sql_log_count - before))
        total_done += done
        if not done or not remaining:
            break
    return (
        total_done,
        per_batch,
        time.perf_counter() - start,
        env.cr.sql_log_count - queries,
    )


def released_count(env, expense_ids):
    env.cr.execute(
        "SELECT count(*) FROM hr_expense WHERE id = ANY(%s) AND NOT fs_suspended",
        [expense_ids],
    )
    return env.cr.fetchone()[0]


def check_sheet(env, sheet):
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    try:
        sheet._fs_check_reimbursable()
        refused = False
    except UserError:
        refused = True
    return refused, time.perf_counter() - start, env.cr.sql_log_count - queries


def main(env):
    env = env(context={"tracking_disable": True, "mail_create_nolog": True})
    cr = env.cr
    start = time.perf_counter()
    company = env.company
    manager = env["res.users"].create(
        {
            "name": "Bench Expense Approver",
            "login": "bench_expense_approver",
            "groups_id": [
                (4, env.ref("hr_expense.group_hr_expense_manager").id),
            ],
        }
    )
    partner = env["res.partner"].create({"name": "Bench Customer", "is_company": True})
    employee = env["hr.employee"].create(
        {"name": "Bench Engineer", "expense_manager_id": manager.id}
    )
    health = env.ref("field_service_sop.fs_service_type_health_check")
    product = env["product.product"].create(
        {
            "name": "Bench train ticket",
            "type": "service",
            "can_be_expensed": True,
            "fs_requires_dispatch_order": True,
            "standard_price": 0.0,
        }
    )
    ticket = env["helpdesk.ticket"].create(
        {
            "name": "Bench record",
            "description": "<p>Bench</p>",
            "partner_id": partner.id,
            "company_id": company.id,
        }
    )
    order = issued_orders(env, partner, employee, health)
    report = env["fs.service.report"].create({"order_id": order.id})
    expense = env["hr.expense"].create(
        {
            "name": "Bench trip",
            "employee_id": employee.id,
            "product_id": product.id,
            "total_amount_currency": 100.0,
            "fs_dispatch_order_id": order.id,
        }
    )
    sheet = env["hr.expense.sheet"].create(
        {
            "name": "Bench report",
            "employee_id": employee.id,
            "expense_line_ids": [(6, 0, expense.ids)],
        }
    )
    sheet.action_submit_sheet()
    env.flush_all()
    # The real gate suspended the template: two missing items (S2, S10).
    assert expense.fs_suspended and sheet.fs_suspended, "template not suspended"
    assert set(expense.fs_suspension_ids.mapped("reason")) == {
        "not_signed",
        "record_missing",
    }
    # N - 1 copies of the template in SQL: same gate state as the ORM made.
    count = N - 1
    orders = clone(
        cr, "fs_dispatch_order", order.id, name=[f"BENCH-{i:07d}" for i in range(count)]
    )
    field = env["fs.dispatch.order"]._fields["engineer_ids"]
    cr.execute(
        f'INSERT INTO "{field.relation}" ("{field.column1}", "{field.column2}") '
        "SELECT unnest(%s::int[]), %s",
        [orders, employee.id],
    )
    clone(
        cr,
        "fs_service_report",
        report.id,
        name=[f"BENCH-{i:07d}" for i in range(count)],
        order_id=orders,
    )
    sheets = [sheet.id] + clone(
        cr,
        "hr_expense_sheet",
        sheet.id,
        name=[f"Bench report {i:06d}" for i in range(count // LINES)],
    )
    # Expense i cites order i and sits on report sheet (i + 1) // LINES.
    sheet_of = [sheets[(i + 1) // LINES] for i in range(count)]
    expenses = clone(
        cr,
        "hr_expense",
        expense.id,
        name=[f"Bench trip {i:07d}" for i in range(count)],
        fs_dispatch_order_id=orders,
        sheet_id=sheet_of,
    )
    for row in expense.fs_suspension_ids:
        clone(
            cr,
            "fs_expense_suspension",
            row.id,
            expense_id=expenses,
            dispatch_order_id=orders,
            sheet_id=sheet_of,
        )
    # 5 % of the reports (whole sheets) signed with their record, not suspended.
    ok_sheets = sheets[1::20]
    cr.execute(
        "SELECT id, fs_dispatch_order_id FROM hr_expense WHERE sheet_id = ANY(%s)",
        [ok_sheets],
    )
    ok_expenses, ok_orders = map(list, zip(*cr.fetchall(), strict=True))
    cr.execute(
        "UPDATE fs_service_report SET state = 'signed', maintenance_ticket_id = %s, "
        "record_missing = FALSE WHERE order_id = ANY(%s)",
        [ticket.id, ok_orders],
    )
    cr.execute(
        "DELETE FROM fs_expense_suspension WHERE expense_id = ANY(%s)", [ok_expenses]
    )
    cr.execute(
        "UPDATE hr_expense SET fs_suspended = FALSE WHERE id = ANY(%s)", [ok_expenses]
    )
    cr.execute(
        "UPDATE hr_expense_sheet SET fs_suspended = FALSE WHERE id = ANY(%s)",
        [ok_sheets],
    )
    cr.execute("UPDATE hr_expense SET fs_gate_checked_at = NULL")
    env.invalidate_all()
    cr.execute("SELECT count(*) FROM hr_expense WHERE fs_suspended")
    suspended = cr.fetchone()[0]
    print(
        f"set-up: {N} gated expenses ({suspended} suspended) on {len(sheets)} "
        f"reports in {time.perf_counter() - start:.1f} s"
    )

    # 1. Nothing changed: the sweep re-checks everything and writes nothing
    # but its own time stamp.
    done, per_batch, seconds, queries = sweep(env)
    first, *rest = [q for _n, q in per_batch]
    warm = sorted(set(rest)) or [first]
    print(
        f"sweep, nothing changed: {done} re-checked in {len(per_batch)} batches "
        f"of {BATCH}, {seconds * 1000:.0f} ms, {queries} queries (per batch: "
        f"{first} cold, then {', '.join(map(str, warm))}; "
        f"{seconds * 1000 / max(done, 1):.3f} ms per expense)"
    )
    clean_per_batch = max(warm)

    # 2. 1 % drifted: a report signed with its record behind the gate's back,
    # one expense per report sheet (each release notifies its own approver).
    ok_set = set(ok_expenses)
    drift = [e for i, e in enumerate(expenses) if i % 100 == 50 and e not in ok_set]
    cr.execute(
        "UPDATE fs_service_report SET state = 'signed', maintenance_ticket_id = %s, "
        "record_missing = FALSE WHERE order_id IN "
        "(SELECT fs_dispatch_order_id FROM hr_expense WHERE id = ANY(%s))",
        [ticket.id, drift],
    )
    cr.execute("UPDATE hr_expense SET fs_gate_checked_at = NULL")  # 30 min later
    env.invalidate_all()
    done, per_batch, seconds, queries = sweep(env)
    released = released_count(env, drift)
    # What releasing costs over a clean sweep: notifications per release.
    extra = queries - clean_per_batch * len(per_batch)
    print(
        f"sweep, 1 % drifted: {done} re-checked, {released}/{len(drift)} released, "
        f"{seconds * 1000:.0f} ms, {queries} queries (per batch: "
        f"{', '.join(str(q) for _n, q in per_batch)}; "
        f"{extra / max(released, 1):.1f} queries and "
        f"{seconds * 1000 / max(released, 1):.1f} ms per released expense)"
    )
    cr.execute("UPDATE hr_expense SET fs_gate_checked_at = NULL")
    done, per_batch, seconds, queries = sweep(env)
    cr.execute("SELECT count(*) FROM hr_expense WHERE NOT fs_suspended")
    print(
        f"sweep again (idempotent): {done} re-checked, {queries} queries, "
        f"{cr.fetchone()[0]} not suspended"
    )

    # 3. The money guard on a report of 10 and one of 200 suspended lines,
    # each line citing its own order.
    figures = {}
    for lines in (10, 200):
        new_sheet = clone(cr, "hr_expense_sheet", sheet.id, name=[f"Check {lines}"])[0]
        skip = ok_set | set(drift)
        pool = [e for e in expenses if e not in skip]
        cr.execute(
            "UPDATE hr_expense SET sheet_id = %s WHERE id = ANY(%s)",
            [new_sheet, pool[:lines]],
        )
        cr.execute(
            "UPDATE fs_expense_suspension SET sheet_id = %s WHERE expense_id = ANY(%s)",
            [new_sheet, pool[:lines]],
        )
        taken = set(pool[:lines])
        expenses = [e for e in expenses if e not in taken]
        figures[lines] = env["hr.expense.sheet"].browse(new_sheet)
    check_sheet(env, figures[10])  # warm the registry caches
    results = {lines: check_sheet(env, s) for lines, s in figures.items()}
    (r10, s10, q10), (r200, s200, q200) = results[10], results[200]
    assert r10 and r200, "the suspended reports were not refused"
    print(
        f"_fs_check_reimbursable: 10 lines {q10} queries {s10 * 1000:.1f} ms, "
        f"200 lines {q200} queries {s200 * 1000:.1f} ms "
        f"(queries equal: {'yes' if q10 == q200 else 'NO'})"
    )
    env.cr.rollback()


main(env)  # noqa: F821 - odoo-bin shell provides env
