# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import random
import time
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase, tagged

_logger = logging.getLogger(__name__)

# 2030-03-01 is a Friday. Asia/Shanghai is UTC+8 all year (no DST): local 16:00 is
# 08:00 UTC. All datetimes below are naive UTC, like the ORM's.
FRI = datetime(2030, 3, 1)
MON = datetime(2030, 3, 4)
TUE = datetime(2030, 3, 5)


def local(day, hour, minute=0):
    """Naive UTC of `hour:minute` Shanghai time on `day`."""
    return day + timedelta(hours=hour - 8, minutes=minute)


@tagged("post_install", "-at_install")
class TestSlaCalendar(TransactionCase):
    """Working-time planning of the SLA engine (SOP E1 "2 working days": every
    SOP deadline E1, E2, D5, D11, D15, S8, S11 is measured on working time)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "SLA Calendar Co"})
        cls.calendar = cls._calendar("Shanghai office")
        cls.other_calendar = cls._calendar("Shanghai lab")
        cls.Sla = cls.env["fs.sla.calendar"]

    @classmethod
    def _calendar(cls, name):
        attendances = [
            Command.create(
                {
                    "name": f"{day} {period}",
                    "dayofweek": str(day),
                    "hour_from": hour_from,
                    "hour_to": hour_to,
                    "day_period": period,
                }
            )
            for day in range(5)
            for hour_from, hour_to, period in (
                (8, 12, "morning"),
                (13, 17, "afternoon"),
            )
        ]
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "company_id": cls.company.id,
                "tz": "Asia/Shanghai",
                "attendance_ids": attendances,
                "global_leave_ids": [],
            }
        )

    def _holiday(self, day, calendar=None, company=None, **extra):
        """A public holiday (global leave: no resource) on `day`, Shanghai time."""
        # the company of a leave is computed: its calendar's, else the current one
        return (
            self.env["resource.calendar.leaves"]
            .with_company(company or self.company)
            .create(
                {
                    "name": "Public holiday",
                    "calendar_id": calendar.id if calendar else False,
                    "date_from": local(day, 0),
                    "date_to": local(day, 23, 59),
                    **extra,
                }
            )
        )

    # ------------------------------------------------------------------
    # _fs_plan on explicit datetimes
    # ------------------------------------------------------------------

    def test_plan_over_weekend(self):
        """SOP E1: 9 working hours from Friday 16:00 end Monday 17:00 (1 h on
        Friday, 8 h on Monday), 10 h end Tuesday 09:00; ending exactly at an
        interval's end stays there (Friday 16:00 + 1 h = Friday 17:00)."""
        start = local(FRI, 16)
        self.assertEqual(
            self.Sla._fs_plan(self.calendar, [(start, 540), (start, 600), (start, 60)]),
            [local(MON, 17), local(TUE, 9), local(FRI, 17)],
        )
        # across lunch: 11:30 + 1 h = 13:30
        self.assertEqual(
            self.Sla._fs_plan(self.calendar, [(local(MON, 11, 30), 60)]),
            [local(MON, 13, 30)],
        )

    def test_plan_public_holiday(self):
        """SOP E1: a public holiday (global leave) on Monday pushes the deadline
        one working day, whether the leave is on the calendar or on none."""
        start = local(FRI, 16)
        holiday = self._holiday(MON, self.calendar)
        self.assertEqual(
            self.Sla._fs_plan(self.calendar, [(start, 540), (start, 600)]),
            [local(TUE, 17), local(MON + timedelta(days=2), 9)],
        )
        # the other calendar ignores a holiday that is not its own...
        self.assertEqual(
            self.Sla._fs_plan(self.other_calendar, [(start, 540)]), [local(MON, 17)]
        )
        # ...but a global leave on no calendar concerns every calendar
        holiday.unlink()
        # a holiday of another company (another country) does not count...
        self._holiday(MON, company=self.env.ref("base.main_company"))
        self.assertEqual(
            self.Sla._fs_plan(self.other_calendar, [(start, 540)]), [local(MON, 17)]
        )
        # ...one of this company on no calendar concerns all its calendars
        self._holiday(MON)
        self.assertEqual(
            self.Sla._fs_plan(self.other_calendar, [(start, 540)]), [local(TUE, 17)]
        )

    def test_plan_start_outside_hours(self):
        """A request at 20:00 on Friday (or on Saturday, or at lunch) starts
        counting at the next working instant; a zero target is that instant, as
        Odoo's plan_hours(0) (inside working time: the start itself)."""
        items = [
            (local(FRI, 20), 60),
            (local(FRI + timedelta(days=1), 10), 60),
            (local(MON, 12, 15), 30),
            (local(FRI, 20), 0),
            (local(MON, 9, 10), 0),
            (local(MON, 6), 0),
        ]
        self.assertEqual(
            self.Sla._fs_plan(self.calendar, items),
            [
                local(MON, 9),
                local(MON, 9),
                local(MON, 13, 30),
                local(MON, 8),
                local(MON, 9, 10),
                local(MON, 8),
            ],
        )
        for (start, minutes), expected in zip(
            items, self.Sla._fs_plan(self.calendar, items), strict=True
        ):
            self.assertEqual(
                self.calendar.plan_hours(minutes / 60, start, compute_leaves=True),
                expected,
            )

    def test_plan_round_the_clock(self):
        """No calendar: plain elapsed time (SOP E1 "24 h on site" round the clock)."""
        start = local(FRI, 16)
        for calendar in (False, self.env["resource.calendar"]):
            self.assertEqual(
                self.Sla._fs_plan(calendar, [(start, 540), (start, 0), (None, 5)]),
                [start + timedelta(hours=9), start, False],
            )
            self.assertEqual(
                self.Sla._fs_work_minutes(calendar, [(start, local(MON, 16))]),
                [3 * 24 * 60.0],
            )

    def test_plan_long_target_grows_horizon(self):
        """A target of 200 working days runs far past the first horizon: the
        horizon grows and the result still matches Odoo's plan_hours."""
        start = local(FRI, 16)
        minutes = 200 * 8 * 60
        self._holiday(MON + timedelta(days=70), self.calendar)
        (deadline,) = self.Sla._fs_plan(self.calendar, [(start, minutes)])
        self.assertEqual(
            deadline, self.calendar.plan_hours(minutes / 60, start, compute_leaves=True)
        )
        self.assertEqual(
            self.Sla._fs_work_minutes(self.calendar, [(start, deadline)]), [minutes]
        )

    def test_plan_calendar_by_id_and_negative(self):
        """The calendar may be given as an id; negative targets are a bug."""
        start = local(FRI, 16)
        self.assertEqual(
            self.Sla._fs_plan(self.calendar.id, [(start, 540)]), [local(MON, 17)]
        )
        with self.assertRaises(ValueError):
            self.Sla._fs_plan(self.calendar, [(start, -1)])

    # ------------------------------------------------------------------
    # _fs_work_minutes
    # ------------------------------------------------------------------

    def test_work_minutes_weekend_and_holiday(self):
        """SOP E1: Friday 16:00 to Tuesday 10:00 is 1 h + 8 h + 2 h of work, and
        only 3 h when Monday is a public holiday; reversed pairs are negative."""
        pairs = [
            (local(FRI, 16), local(TUE, 10)),
            (local(FRI, 18), local(MON, 7)),
            (local(TUE, 10), local(FRI, 16)),
        ]
        self.assertEqual(
            self.Sla._fs_work_minutes(self.calendar, pairs), [660.0, 0.0, -660.0]
        )
        self._holiday(MON, self.calendar)
        self.assertEqual(
            self.Sla._fs_work_minutes(self.calendar, pairs), [180.0, 0.0, -180.0]
        )

    # ------------------------------------------------------------------
    # Against Odoo's own plan_hours / get_work_hours_count (the reference)
    # ------------------------------------------------------------------

    def test_random_samples_match_odoo(self):
        """On 300 random items (fixed seed) over 8 weeks with a full-day and a
        half-day leave: _fs_plan equals Odoo's plan_hours, _fs_work_minutes equals
        get_work_hours_count, and each is the inverse of the other."""
        self._holiday(MON + timedelta(days=7), self.calendar)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Afternoon off",
                "calendar_id": self.calendar.id,
                "date_from": local(MON + timedelta(days=16), 14),
                "date_to": local(MON + timedelta(days=16), 16),
            }
        )
        rng = random.Random(20300301)
        starts = [
            FRI
            - timedelta(days=3)
            + timedelta(minutes=rng.randrange(56 * 24 * 60), seconds=rng.randrange(60))
            for _i in range(300)
        ]
        minutes = [
            rng.choice((0, 60, 240, 480, 960, rng.randrange(1, 3000))) for _s in starts
        ]
        deadlines = self.Sla._fs_plan(
            self.calendar, list(zip(starts, minutes, strict=True))
        )
        for start, mins, deadline in zip(starts, minutes, deadlines, strict=True):
            reference = self.calendar.plan_hours(mins / 60, start, compute_leaves=True)
            self.assertLessEqual(
                abs(deadline - reference),
                timedelta(milliseconds=1),
                f"{mins} min from {start}",
            )
        worked = self.Sla._fs_work_minutes(
            self.calendar, list(zip(starts, deadlines, strict=True))
        )
        for mins, value in zip(minutes, worked, strict=True):
            self.assertAlmostEqual(value, mins, places=6)
        # work minutes between random pairs, in both directions
        ends = [
            start + timedelta(minutes=rng.randrange(20 * 24 * 60)) for start in starts
        ]
        worked = self.Sla._fs_work_minutes(
            self.calendar, list(zip(starts, ends, strict=True))
        )
        for start, end, value in zip(starts, ends, worked, strict=True):
            reference = self.calendar.get_work_hours_count(start, end) * 60
            self.assertAlmostEqual(value, reference, places=4, msg=f"{start} {end}")
        # planning the counted minutes lands at `end` or earlier with no work between
        planned = self.Sla._fs_plan(
            self.calendar, list(zip(starts, worked, strict=True))
        )
        between = self.Sla._fs_work_minutes(
            self.calendar, list(zip(planned, ends, strict=True))
        )
        # (a zero count plans to the next working instant, which may be after end)
        for end, deadline, rest, count in zip(
            ends, planned, between, worked, strict=True
        ):
            if count:
                self.assertLessEqual(deadline, end)
                self.assertAlmostEqual(rest, 0.0, places=6)
            else:
                self.assertAlmostEqual(rest, 0.0 if deadline <= end else -0.0)

    # ------------------------------------------------------------------
    # Batching: constant queries
    # ------------------------------------------------------------------

    def _items(self, count):
        rng = random.Random(count)
        return [
            (
                FRI + timedelta(minutes=rng.randrange(30 * 24 * 60)),
                rng.randrange(0, 2 * 8 * 60),
            )
            for _i in range(count)
        ]

    def test_plan_query_count_constant(self):
        """Deadlines of 10 or 1,000 items on one calendar cost the same queries:
        one fetch of working intervals per calendar, then pure Python."""
        self._holiday(MON + timedelta(days=14), self.calendar)
        large = self._items(1000)
        # the same range as the large batch: its extreme items plus a few
        small = [
            min(large),
            max(large),
            max(large, key=lambda item: item[1]),
            *large[:7],
        ]
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.Sla._fs_plan(self.calendar, small)
        queries = self.cr.sql_log_count - before
        self.assertLessEqual(queries, 8)
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            self.Sla._fs_plan(self.calendar, small)
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            self.Sla._fs_plan(self.calendar, large)
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            self.Sla._fs_work_minutes(
                self.calendar,
                [(start, start + timedelta(days=3)) for start, _m in large],
            )

    def test_plan_timing(self):
        """Timing of 10,000 items (printed, not asserted), against plan_hours."""
        items = self._items(10000)
        started = time.perf_counter()
        deadlines = self.Sla._fs_plan(self.calendar, items)
        batched = time.perf_counter() - started
        started = time.perf_counter()
        for start, minutes in items[:100]:
            self.calendar.plan_hours(minutes / 60, start, compute_leaves=True)
        per_call = (time.perf_counter() - started) / 100
        self.assertEqual(len(deadlines), 10000)
        _logger.info(
            "fs.sla.calendar: 10,000 deadlines in %.3f s batched; Odoo plan_hours "
            "%.2f ms per item (about %.1f s for 10,000)",
            batched,
            per_call * 1000,
            per_call * 10000,
        )

    # ------------------------------------------------------------------
    # Calendar change hooks
    # ------------------------------------------------------------------

    def _watch(self):
        """Record the calendars passed to the recompute hook, one entry per call."""
        calls = []

        def changed(_self, calendars):
            if calendars:
                calls.append(calendars)

        return calls, patch.object(
            type(self.Sla), "_fs_calendars_changed", autospec=True, side_effect=changed
        )

    def test_hooks_calendar_write(self):
        """Changing attendances, tz or hours per day recomputes once per write;
        other fields (name) do not."""
        calls, watcher = self._watch()
        calendars = self.calendar | self.other_calendar
        with watcher:
            calendars.write({"name": "Renamed"})
            self.assertEqual(calls, [])
            calendars.write({"tz": "Asia/Tokyo"})
            self.assertEqual(calls, [calendars])
            self.calendar.write(
                {
                    "attendance_ids": [
                        Command.create(
                            {
                                "name": "Saturday",
                                "dayofweek": "5",
                                "hour_from": 9,
                                "hour_to": 12,
                            }
                        ),
                        Command.unlink(self.calendar.attendance_ids[0].id),
                    ]
                }
            )
            self.assertEqual(calls[1:], [self.calendar])
            self.calendar.attendance_ids[:2].write({"hour_to": 11.5})
            self.assertEqual(calls[2:], [self.calendar])
            self.assertEqual(len(calls), 3)

    def test_hooks_leaves(self):
        """Public holidays: create, write and unlink recompute once per call; a
        global leave on no calendar concerns every calendar of its company; a
        leave of one resource concerns no SLA."""
        calls, watcher = self._watch()
        Leaves = self.env["resource.calendar.leaves"]
        with watcher:
            leaves = Leaves.create(
                [
                    {
                        "name": f"Holiday {day}",
                        "calendar_id": self.calendar.id,
                        "date_from": local(MON + timedelta(days=day), 0),
                        "date_to": local(MON + timedelta(days=day), 23),
                    }
                    for day in range(3)
                ]
            )
            self.assertEqual(calls, [self.calendar])
            leaves.write({"calendar_id": self.other_calendar.id})
            self.assertEqual(calls[1:], [self.calendar | self.other_calendar])
            leaves.write({"name": "Renamed"})
            leaves.unlink()
            self.assertEqual(calls[2:], [self.other_calendar])
            national = self._holiday(MON)
            self.assertLessEqual(self.calendar | self.other_calendar, calls[3])
            self.assertFalse(calls[3].company_id - self.company)
            resource = self.env["resource.resource"].create(
                {"name": "Engineer", "calendar_id": self.calendar.id}
            )
            Leaves.create(
                {
                    "name": "Sick",
                    "resource_id": resource.id,
                    "date_from": local(MON, 8),
                    "date_to": local(MON, 17),
                }
            )
            national.unlink()
            self.assertEqual(len(calls), 5)

    def test_hook_calls_timer_recompute(self):
        """The hook hands the calendars to fs.sla.timer._fs_recompute_calendars."""
        Timer = type(self.env["fs.sla.timer"])
        with patch.object(
            Timer, "_fs_recompute_calendars", create=True, autospec=False
        ) as recompute:
            self.calendar.write({"hours_per_day": 7.5})
        recompute.assert_called_once()
        self.assertEqual(recompute.call_args.args[-1], self.calendar)
