// How the pages write money, dates and durations: in the signed-in company's currency and
// time zone (me.company), the same everywhere. Money arrives as a decimal string ("49.90")
// and is never turned into a float for arithmetic; here it is only displayed.

const moneyFormats = new Map();
const dateFormats = new Map();

function cached(map, key, make) {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** "49.90" in USD → "$49.90"; null or "" → "—". */
export function formatMoney(amount, currency) {
  if (amount === null || amount === undefined || amount === "") {
    return "—";
  }
  const format = cached(moneyFormats, currency, () => {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency });
    } catch {
      return null; // an unknown code: the amount with the code after it
    }
  });
  return format ? format.format(Number(amount)) : `${amount} ${currency}`;
}

/** An ISO date-time as a date (or date and time) in the company's time zone. */
export function formatDate(iso, timeZone, { time = false } = {}) {
  if (!iso) {
    return "—";
  }
  const format = cached(dateFormats, `${timeZone}|${time}`, () => {
    const options = { dateStyle: "medium", ...(time ? { timeStyle: "short" } : {}) };
    try {
      return new Intl.DateTimeFormat(undefined, { ...options, timeZone });
    } catch {
      return new Intl.DateTimeFormat(undefined, { ...options, timeZone: "UTC" });
    }
  });
  return format.format(new Date(iso));
}

/** The calendar day ("2026-12-02") of an ISO date-time in the company's time zone. */
export function localDay(iso, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(new Date(iso));
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `ms`, in milliseconds. */
function zoneOffset(ms, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant (ISO, UTC) a calendar day ("2026-12-02") starts in the company's time zone. */
export function dayStart(day, timeZone) {
  const [year, month, date] = day.split("-").map(Number);
  const midnight = Date.UTC(year, month - 1, date);
  let ms = midnight;
  for (let i = 0; i < 3; i += 1) {
    ms = midnight - zoneOffset(ms, timeZone); // twice settles it, also across a clock change
  }
  return new Date(ms).toISOString();
}

/** The calendar day after `day` ("2026-12-31" → "2027-01-01"). */
export function nextDay(day) {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
}

/** "1 day", "12 days". */
export function formatDays(days) {
  return `${days} day${days === 1 ? "" : "s"}`;
}

/** Today's calendar day ("2026-12-02") in the company's time zone. */
export function today(timeZone) {
  return localDay(new Date().toISOString(), timeZone);
}

/**
 * The instant (ISO, UTC) of `hour`:00 on `day` ("2026-12-02") in `timeZone`: a follow-up
 * picked as a day falls due that morning where the company is.
 */
export function zonedMoment(day, timeZone, hour = 9) {
  const [year, month, date] = day.split("-").map(Number);
  const guess = Date.UTC(year, month - 1, date, hour);
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(guess));
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  const shown = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"));
  return new Date(guess - (shown - guess)).toISOString();
}

/**
 * What someone typed as an amount ("49.9", "1,200.50", "$12") as the Money the server
 * takes ("49.90"), or null when it is not an amount of at most two decimals.
 */
export function moneyInput(text) {
  const plain = text.trim().replace(/^[^\d.-]+/, "").replace(/,/g, "");
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(plain);
  if (!match) return null;
  return `${match[1].replace(/^0+(?=\d)/, "")}.${(match[2] ?? "").padEnd(2, "0")}`;
}
