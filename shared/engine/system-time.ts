// {{system.date}}, {{system.time}} and {{system.dateTime}} in the formats of Marketo's system token
// glossary (spec §6), computed from the context's clock in the account's time zone.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC. */
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for an unknown IANA time zone (the caller reports it). */
function wallClock(instant: Date, timeZone: string): WallClock {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const w = {
    year: parts['year'] ?? 1970,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: (parts['hour'] ?? 0) % 24,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const offset = Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
  return { ...w, offset };
}

export type SystemTimeToken = 'date' | 'time' | 'datetime';

/** `Aug 08, 2013`, `04:34 PM (GMT -0700)`, `2013-08-08 16:36:13`. */
export function formatSystemTime(token: SystemTimeToken, instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  if (token === 'date') return `${MONTHS[w.month - 1]} ${pad(w.day)}, ${w.year}`;
  if (token === 'datetime')
    return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  const h12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
  const sign = w.offset < 0 ? '-' : '+';
  const abs = Math.abs(w.offset);
  return `${pad(h12)}:${pad(w.minute)} ${w.hour < 12 ? 'AM' : 'PM'} (GMT ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)})`;
}
