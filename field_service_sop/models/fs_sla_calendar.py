# Copyright 2026 field_service_sop authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from bisect import bisect_left, bisect_right
from datetime import timedelta

from pytz import timezone, utc

from odoo import api, models

ONE_US = timedelta(microseconds=1)
US_PER_MINUTE = 60_000_000
# First look-ahead beyond the latest start, and the limit of the look-ahead (like
# Odoo's plan_hours, which gives up after 100 x 14 days): a calendar without any
# working time must not loop for ever.
HORIZON_SLACK = timedelta(days=14)
HORIZON_MAX = timedelta(days=1400)
# Context key: nested calendar/attendance/leave writes of one change skip the
# SLA recompute (resource_calendar*.py), the outer one covers them.
SKIP_HOOK = "fs_sla_calendar_hook_skip"


class _FsTimeline:
    """Working time of one calendar from `origin`, as sorted disjoint intervals.

    Everything is integer microseconds from `origin` (exact arithmetic, no float
    drift over years): `starts`/`stops` of each interval, `before[i]` = working
    time before interval i, `upto[i]` = working time up to its end. Looking an
    instant up is a bisect: O(log n) per item.
    """

    __slots__ = ("origin", "end", "starts", "stops", "before", "upto")

    def __init__(self, origin):
        self.origin = origin
        self.end = origin
        self.starts, self.stops, self.before, self.upto = [], [], [], []

    def extend(self, intervals, end):
        """Append the naive-UTC intervals of the range (self.end, end]."""
        total = self.upto[-1] if self.upto else 0
        origin = self.origin
        for start, stop in intervals:
            start_us = (start - origin) // ONE_US
            stop_us = (stop - origin) // ONE_US
            self.starts.append(start_us)
            self.stops.append(stop_us)
            self.before.append(total)
            total += stop_us - start_us
            self.upto.append(total)
        self.end = end

    def to_us(self, dt):
        return (dt - self.origin) // ONE_US

    def worked(self, t_us):
        """Working microseconds between the origin and t_us."""
        i = bisect_right(self.starts, t_us) - 1
        if i < 0:
            return 0
        return self.before[i] + min(t_us, self.stops[i]) - self.starts[i]

    def plan(self, t_us, duration_us):
        """Instant (us from origin) after `duration_us` of work from t_us, or None
        when it lies beyond the fetched horizon.

        Like Odoo's plan_hours: a duration that exactly fills an interval ends at
        that interval's end (Friday 16:00 + 1 h = Friday 17:00, not Monday 08:00),
        and a zero duration outside working hours gives the next working instant.
        """
        target = self.worked(t_us) + duration_us
        # never an interval that ends at or before the start
        first = bisect_right(self.stops, t_us)
        i = max(bisect_left(self.upto, target), first)
        if i >= len(self.starts):
            return None
        return max(t_us, self.starts[i] + target - self.before[i])


class FsSlaCalendar(models.AbstractModel):
    """Working-time arithmetic of the SLA engine (SOP E1: "2 working days"; every
    SOP deadline E1, E2, D5, D11, D15, S8, S11 is measured on working time).

    A calendar is a `resource.calendar`: its attendances in its own time zone, minus
    its global leaves (public holidays: `resource.calendar.leaves` without resource,
    on this calendar or on no calendar), exactly what Odoo's own `plan_hours` and
    `get_work_hours_count` use with `compute_leaves=True`. No calendar means round
    the clock.

    Both methods are batched: the working intervals of the calendar are fetched once
    for the range covering every item (a constant number of queries, whatever the
    number of items), then each item costs a bisect in pure Python. Datetimes are
    naive UTC in and out, like the ORM's.
    """

    _name = "fs.sla.calendar"
    _description = "SLA Working Time"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _fs_plan(self, calendar, items):
        """Deadlines of `items` = [(start, minutes), ...] on `calendar`.

        :param calendar: resource.calendar record (or id); False/empty = round the
            clock (plain timedelta).
        :param items: iterable of (naive UTC datetime, minutes >= 0 as int/float).
        :return: list of naive UTC datetimes, same order as `items`. An item with
            no start gives False; so does an item whose working time cannot be
            found within 1400 days (a calendar without attendances), as in Odoo.

        `minutes == 0` follows Odoo's `plan_hours(0)`: the start itself when it
        is inside working time, else the next working instant (a 0-minute target
        set on Friday night is due Monday 08:00). Ending exactly at the end of an
        interval stays there (Friday 16:00 + 60 min = Friday 17:00).
        """
        items = list(items)
        for _start, minutes in items:
            if minutes is not None and minutes < 0:
                raise ValueError("SLA planning needs minutes >= 0, got %r" % minutes)
        calendar = self._fs_calendar(calendar)
        if not calendar:
            return [
                start + timedelta(minutes=minutes or 0) if start else False
                for start, minutes in items
            ]
        todo = [
            (index, start, round((minutes or 0) * US_PER_MINUTE))
            for index, (start, minutes) in enumerate(items)
            if start
        ]
        result = [False] * len(items)
        if not todo:
            return result
        origin = min(start for _index, start, _us in todo)
        latest = max(start for _index, start, _us in todo)
        timeline = _FsTimeline(origin)
        # first horizon: the latest start plus the longest duration stretched to
        # wall-clock time (a 5-day week of hours_per_day), plus two weeks of slack.
        per_day = (calendar.hours_per_day or 8.0) * 60
        longest = max(us for _index, _start, us in todo) / US_PER_MINUTE
        span = (latest - origin) + timedelta(days=longest / per_day * 7 / 5)
        end = origin + span + HORIZON_SLACK
        limit = latest + HORIZON_MAX
        while todo:
            end = min(end, limit)
            timeline.extend(self._fs_intervals(calendar, timeline.end, end), end)
            pending = []
            for index, start, us in todo:
                found = timeline.plan(timeline.to_us(start), us)
                if found is None:
                    pending.append((index, start, us))
                else:
                    result[index] = origin + timedelta(microseconds=found)
            todo = pending
            if end >= limit:
                break
            # grow geometrically: rare (long targets); one more fetch per doubling
            end = origin + 2 * (end - origin)
        return result

    @api.model
    def _fs_work_minutes(self, calendar, items):
        """Working minutes between the two instants of each item.

        :param calendar: resource.calendar record (or id); False = round the clock.
        :param items: iterable of (from, to) naive UTC datetimes.
        :return: list of floats, same order; negative when `to` is before `from`
            (e.g. how late a deadline already is), 0.0 when either is missing.
        """
        items = list(items)
        calendar = self._fs_calendar(calendar)
        if not calendar:
            return [
                (stop - start).total_seconds() / 60 if start and stop else 0.0
                for start, stop in items
            ]
        bounds = [dt for pair in items if pair[0] and pair[1] for dt in pair]
        if not bounds:
            return [0.0] * len(items)
        origin, end = min(bounds), max(bounds)
        timeline = _FsTimeline(origin)
        timeline.extend(self._fs_intervals(calendar, origin, end), end)
        worked, to_us = timeline.worked, timeline.to_us
        return [
            (worked(to_us(stop)) - worked(to_us(start))) / US_PER_MINUTE
            if start and stop
            else 0.0
            for start, stop in items
        ]

    @api.model
    def _fs_calendar(self, calendar):
        if isinstance(calendar, int) and not isinstance(calendar, bool):
            calendar = self.env["resource.calendar"].browse(calendar)
        return calendar[:1] if calendar else self.env["resource.calendar"]

    @api.model
    def _fs_intervals(self, calendar, start, end):
        """Working intervals of `calendar` in [start, end] as naive UTC pairs:
        attendances in the calendar's tz minus global leaves (public holidays).
        Hook: override to use another source of working time."""
        if end <= start:
            return []
        tz = timezone(calendar.tz or "UTC")
        # Odoo's default leave domain, limited to the calendar's company: a public
        # holiday entered for one company (country) does not move another's SLAs.
        domain = [("time_type", "=", "leave")]
        if calendar.company_id:
            domain.append(("company_id", "in", [calendar.company_id.id, False]))
        intervals = calendar._work_intervals_batch(
            start.replace(tzinfo=utc), end.replace(tzinfo=utc), domain=domain, tz=tz
        )[False]
        result = []
        for begin, stop, _meta in intervals:
            begin = begin.astimezone(utc).replace(tzinfo=None)
            stop = stop.astimezone(utc).replace(tzinfo=None)
            if begin < stop:
                result.append((begin, stop))
        return result

    # ------------------------------------------------------------------
    # Calendar change hooks
    # ------------------------------------------------------------------

    @api.model
    def _fs_calendars_changed(self, calendars):
        """Recompute running SLA timers on `calendars` (one call per change)."""
        if not calendars:
            return
        timers = self.env.get("fs.sla.timer")
        recompute = getattr(timers, "_fs_recompute_calendars", None)
        if recompute is not None:
            recompute(calendars)

    @api.model
    def _fs_leave_calendars(self, leaves):
        """Calendars whose working time depends on `leaves`: the leave's calendar,
        or, for a global leave without calendar, every calendar of its company
        (and the calendars shared by all companies)."""
        # only time off of the whole calendar counts (Odoo's default leave domain)
        leaves = leaves.filtered(
            lambda leave: not leave.resource_id and leave.time_type == "leave"
        )
        calendars = leaves.calendar_id
        unassigned = leaves.filtered(lambda leave: not leave.calendar_id)
        if unassigned:
            domain = []
            if all(unassigned.mapped("company_id")):
                domain = [("company_id", "in", [*unassigned.company_id.ids, False])]
            # sudo: the leave change itself already passed the ORM access checks;
            # this only finds the calendars whose timers the system must recompute,
            # including those of companies the user has not selected right now.
            calendars |= (
                self.env["resource.calendar"]
                .sudo()
                .with_context(active_test=False)
                .search(domain)
                .with_env(self.env)
            )
        return calendars
