// ical.js over a calendar file: prints {uid: {start, end, sequence, alarms}} as JSON. A timed start or end
// is converted to UTC through the file's own VTIMEZONE ("2023-06-16T06:15:00Z"); a date stays a date.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function utc(time) {
  if (time === null) return null;
  if (time.isDate) return time.toString();
  return time.convertToZone(ICAL.Timezone.utcTimezone).toString();
}

const calendar = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], "utf8")));
const events = {};
for (const component of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(component);
  events[event.uid] = {
    start: utc(event.startDate),
    end: component.hasProperty("dtend") ? utc(event.endDate) : null,
    sequence: component.getFirstPropertyValue("sequence"),
    alarms: component.getAllSubcomponents("valarm").map((alarm) => ({
      action: alarm.getFirstPropertyValue("action"),
      trigger: alarm.getFirstPropertyValue("trigger").toString(),
      related: alarm.getFirstProperty("trigger").getParameter("related") ?? null,
      description: alarm.getFirstPropertyValue("description"),
    })),
  };
}
console.log(JSON.stringify(events));
