// Parses an iCalendar document with ical.js (the parser behind many calendar clients) and prints a JSON
// summary of what it understood. Used by the tests: node tools/ics-check.mjs [file]  (stdin when no file)
// Exit code 1 with the parser's message on stderr when the document does not parse.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2] ?? 0, "utf8");
try {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const str = (component, name) => component.getFirstPropertyValue(name)?.toString() ?? null;
  const time = (component, name) => component.getFirstPropertyValue(name)?.toJSDate().toISOString() ?? null;
  const events = calendar.getAllSubcomponents("vevent").map((event) => {
    const organizer = event.getFirstProperty("organizer");
    return {
      uid: str(event, "uid"),
      sequence: event.getFirstPropertyValue("sequence"),
      status: str(event, "status"),
      summary: str(event, "summary"),
      location: str(event, "location"),
      description: str(event, "description"),
      url: str(event, "url"),
      dtstart: time(event, "dtstart"),
      dtend: time(event, "dtend"),
      dtstamp: time(event, "dtstamp"),
      organizer: organizer?.getFirstValue() ?? null,
      organizerCn: organizer?.getParameter("cn") ?? null,
      attendees: event.getAllProperties("attendee").map((a) => ({
        value: a.getFirstValue(),
        cn: a.getParameter("cn") ?? null,
        partstat: a.getParameter("partstat") ?? null,
        rsvp: a.getParameter("rsvp") ?? null,
        role: a.getParameter("role") ?? null,
      })),
      alarms: event.getAllSubcomponents("valarm").map((alarm) => ({
        action: str(alarm, "action"),
        trigger: str(alarm, "trigger"),
      })),
    };
  });
  console.log(JSON.stringify({
    method: str(calendar, "method"),
    prodid: str(calendar, "prodid"),
    version: str(calendar, "version"),
    events,
  }));
} catch (error) {
  console.error(`ics-check: ${error.message}`);
  process.exit(1);
}
