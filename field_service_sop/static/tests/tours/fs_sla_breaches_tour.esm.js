/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/* A manager opens SLA > Breaches Now (SOP E3, E4), groups the breaches by
 * policy, opens one and reads its event log. The Python side prepares a
 * breached timer of the policy "Tour Response". */
registry.category("web_tour.tours").add("fs_sla_breaches_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Field Service SOP app",
            trigger: ".o_app[data-menu-xmlid='field_service_sop.fs_menu_root']",
            run: "click",
        },
        {
            content: "Open the SLA menu",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='field_service_sop.fs_sla_menu']",
            run: "click",
        },
        {
            content: "Open the breaches now",
            trigger:
                ".dropdown-item[data-menu-xmlid='field_service_sop.fs_sla_timer_breached_menu']",
            run: "click",
        },
        {
            content: "The breached timers are listed",
            trigger: ".o_breadcrumb:contains('Breaches Now')",
        },
        {
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Group by policy",
            trigger: ".o_group_by_menu .o_menu_item:contains('Policy')",
            run: "click",
        },
        {
            content: "Open the group of the tour's policy",
            trigger: ".o_list_view .o_group_name:contains('Tour Response')",
            run: "click",
        },
        {
            content: "Open the breached timer",
            trigger: ".o_list_view .o_data_row .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The timer is breached",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='breached']",
        },
        {
            content: "Show its events",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Events')",
            run: "click",
        },
        {
            content: "The event log shows the breach",
            trigger: ".o_field_widget[name='event_ids'] .o_data_row:contains('Breach')",
        },
    ],
});
