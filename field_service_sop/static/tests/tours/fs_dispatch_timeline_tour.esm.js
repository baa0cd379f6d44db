/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

/* The dispatcher plans (issue 12.5), in Chinese: from the dispatch orders,
 * switch to the timeline, whose axis is in Chinese (weekday 周一); the issued
 * order without an appointment is on its lead engineer's line with its
 * customer and purpose; the calendar of the week loads it too (its lead
 * engineer appears among the filters). The Python side prepares the order
 * (visit window today). */
registry.category("web_tour.tours").add("fs_dispatch_timeline_tour", {
    steps: () => [
        {
            content: "The dispatch orders open",
            trigger: ".o_kanban_view",
        },
        {
            content: "Switch to the timeline",
            trigger: ".o_control_panel .o_switch_view.o_timeline",
            run: "click",
        },
        {
            content:
                "The axis speaks the user's language (Chinese), not the browser's (English)",
            trigger: ".oe_timeline_view .vis-time-axis .vis-text:contains('周一')",
        },
        {
            content: "One line per lead engineer",
            trigger: ".oe_timeline_view .vis-label:contains('Timeline Lead')",
        },
        {
            content: "The issued order is on the timeline, with customer and purpose",
            trigger:
                ".oe_timeline_view .vis-item:contains('Timeline Customer'):contains('Timeline purpose')",
        },
        {
            content: "Switch to the calendar",
            trigger: ".o_control_panel .o_switch_view.o_calendar",
            run: "click",
        },
        {
            content:
                "The issued order shows in the calendar, though not yet confirmed: its lead engineer is a filter",
            trigger:
                ".o_calendar_view .o_calendar_filter[data-name='lead_engineer_id'] .o_calendar_filter_item:contains('Timeline Lead')",
        },
        {
            trigger: ".o_calendar_view .fc-event",
        },
    ],
});
