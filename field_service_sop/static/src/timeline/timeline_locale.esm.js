/* Copyright 2026 field_service_sop authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {TimelineRenderer} from "@web_timeline/views/timeline/timeline_renderer.esm";
import {patch} from "@web/core/utils/patch";

const {DateTime} = luxon;

/* The axis of OCA web_timeline speaks the user's language (issue 12.7).
 * Its vis-timeline bundle sets moment.js to the browser's language, not the
 * Odoo user's, and knows no Chinese: a Chinese browser got Ukrainian, the
 * last locale the bundle defines. The labels are formatted here with the
 * browser's Intl through luxon, whose locale Odoo sets to the user's
 * language; moment is set to English, used only for class names. */
const MINOR = {
    millisecond: (d) => d.toFormat("SSS"),
    second: (d) => d.toFormat("s"),
    minute: (d) => d.toLocaleString(DateTime.TIME_SIMPLE),
    hour: (d) => d.toLocaleString(DateTime.TIME_SIMPLE),
    weekday: (d) => d.toLocaleString({weekday: "short", day: "numeric"}),
    day: (d) => d.toLocaleString({day: "numeric"}),
    week: (d) => d.toLocaleString({day: "numeric"}),
    month: (d) => d.toLocaleString({month: "short"}),
    year: (d) => d.toLocaleString({year: "numeric"}),
};
const MAJOR = {
    millisecond: (d) => d.toLocaleString(DateTime.TIME_WITH_SECONDS),
    second: (d) => d.toLocaleString(DateTime.DATETIME_MED),
    minute: (d) => d.toLocaleString(DateTime.DATE_MED_WITH_WEEKDAY),
    hour: (d) => d.toLocaleString(DateTime.DATE_MED_WITH_WEEKDAY),
    weekday: (d) => d.toLocaleString({year: "numeric", month: "long"}),
    day: (d) => d.toLocaleString({year: "numeric", month: "long"}),
    week: (d) => d.toLocaleString({year: "numeric", month: "long"}),
    month: (d) => d.toLocaleString({year: "numeric"}),
    year: () => "",
};

/**
 * The wall time vis-timeline shows (a moment in the browser's zone) as a
 * luxon DateTime, so that the label matches the grid it stands on.
 *
 * @param {Object} date moment object given by vis-timeline
 * @returns {DateTime}
 */
function wallTime(date) {
    return DateTime.fromObject({
        year: date.year(),
        month: date.month() + 1,
        day: date.date(),
        hour: date.hours(),
        minute: date.minutes(),
        second: date.seconds(),
        millisecond: date.milliseconds(),
    });
}

function label(formats) {
    return (date, scale) => (formats[scale] ? formats[scale](wallTime(date)) : "");
}

patch(TimelineRenderer.prototype, {
    init_timeline() {
        this.options.locale = "en";
        this.options.format = {minorLabels: label(MINOR), majorLabels: label(MAJOR)};
        return super.init_timeline(...arguments);
    },
});
