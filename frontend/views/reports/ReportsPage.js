// The Reports page: the retention report for a period (this month, last month, this
// quarter, the last 12 months or custom days, in the company's time zone) by a grouping,
// both kept in the address. Totals as tiles, what is open now, a bar chart of RMR saved and
// lost by group and a monthly trend line, each chart with its table; each group opens its
// cases; the same report downloads as CSV.

import { html, useEffect, useRef, useState, useStore } from "../../lib/dom.js";
import { useLiveChanges } from "../../lib/live.js";
import { graphql } from "../../lib/graphql.js";
import { location, requestTitleFocus, setQuery } from "../../lib/router.js";
import { session, signedIn, signedOut } from "../../lib/session.js";
import { Page } from "../shell/Page.js";
import { Chart } from "./Chart.js";
import { cases, csvHref, formatAverage, formatCount, formatMoney, formatRate, isEmpty } from "./figures.js";
import { REPORT } from "./operations.js";
import { GroupTable, TrendTable } from "./Tables.js";
import {
  DEFAULT_GROUPING,
  DEFAULT_PERIOD,
  GROUPINGS,
  PERIODS,
  checkCustom,
  formatDay,
  formatMonth,
  fromAddress,
  monthsOf,
  today,
} from "./period.js";

const LEDE =
  "How much monthly recurring revenue was at risk, saved and lost, and why. " +
  "Periods are whole days in the company's time zone.";

const LOAD_PROBLEMS = {
  network: "Could not load the report: the server could not be reached. Check the connection and try again.",
  forbidden: "Your account may not see reports.",
  server: "Could not load the report: the server had a problem. Try again in a moment.",
};

function Tile({ id, label, value, note }) {
  return html`<div class="report-tile" data-tile=${id}>
    <dt class="report-tile-label">${label}</dt>
    <dd class="report-tile-value">${value}</dd>
    ${note && html`<dd class="report-tile-note">${note}</dd>`}
  </div>`;
}

function Tiles({ data, currency, status }) {
  const ready = status === "ready";
  const totals = data?.report.totals;
  const open = data?.report.openNow;
  const show = (make) => (ready ? make() : "…");
  return html`<div class="report-tiles-area">
    <section class="report-block" aria-labelledby="totals-title">
      <h2 class="report-block-title" id="totals-title">In the period</h2>
      <dl class="report-tiles">
        <${Tile} id="rmrAtRisk" label="RMR at risk" value=${show(() => formatMoney(totals.rmrAtRisk, currency))}
          note=${ready && `${cases(totals.opened)} opened`} />
        <${Tile} id="rmrSaved" label="RMR saved" value=${show(() => formatMoney(totals.rmrSaved, currency))}
          note=${ready && `${cases(totals.saved)} saved`} />
        <${Tile} id="rmrLost" label="RMR lost" value=${show(() => formatMoney(totals.rmrLost, currency))}
          note=${ready && `${cases(totals.lost)} lost`} />
        <${Tile} id="saveRate" label="Save rate" value=${show(() => formatRate(totals.saveRate))}
          note=${ready && (totals.saveRate === null ? "No case saved or lost" : `${formatCount(totals.saved)} of ${formatCount(totals.saved + totals.lost)} saved or lost`)} />
        <${Tile} id="credited" label="Credits" value=${show(() => formatMoney(totals.credited, currency))}
          note=${ready && "Given in the period"} />
        <${Tile} id="averageDaysToClose" label="Average days to close" value=${show(() => formatAverage(totals.averageDaysToClose))}
          note=${ready && "Of the cases saved or lost"} />
      </dl>
    </section>
    <section class="report-block" aria-labelledby="open-title">
      <h2 class="report-block-title" id="open-title">Open now</h2>
      <dl class="report-tiles report-tiles-open">
        <${Tile} id="openCases" label="Open cases" value=${show(() => formatCount(open.cases))} note=${ready && "Whatever the period"} />
        <${Tile} id="openRmrAtRisk" label="Their RMR at risk" value=${show(() => formatMoney(open.rmrAtRisk, currency))} />
        <${Tile} id="overdueFollowUps" label="Overdue follow-ups" value=${show(() => formatCount(open.overdueFollowUps))} />
      </dl>
    </section>
  </div>`;
}

/** The custom period's two days, checked here before any request. */
function CustomPeriod({ from, to, errors }) {
  const [draft, setDraft] = useState({ from, to });
  const [shown, setShown] = useState(errors);
  const fromField = useRef(null);
  const toField = useRef(null);

  useEffect(() => {
    setDraft({ from, to });
    setShown(errors);
  }, [from, to, errors?.from, errors?.to]);

  function submit(event) {
    event.preventDefault();
    const problems = checkCustom(draft.from, draft.to);
    setShown(problems);
    if (problems) {
      (problems.from ? fromField : toField).current?.focus();
      return;
    }
    setQuery({ period: "custom", from: draft.from, to: draft.to });
  }

  const field = (name, label, ref) => html`<div class="report-day">
    <label class="report-control-label" for=${`report-${name}`}>${label}</label>
    <input
      class="field-input report-input"
      id=${`report-${name}`}
      ref=${ref}
      type="date"
      value=${draft[name]}
      aria-invalid=${shown?.[name] ? "true" : null}
      aria-describedby=${shown?.[name] ? `report-${name}-error` : null}
      onInput=${(event) => setDraft({ ...draft, [name]: event.currentTarget.value })}
    />
    ${shown?.[name] && html`<p class="field-error" id=${`report-${name}-error`}>${shown[name]}</p>`}
  </div>`;

  return html`<form class="report-custom" noValidate onSubmit=${submit} aria-label="Custom period">
    ${field("from", "From", fromField)} ${field("to", "To", toField)}
    <button type="submit" class="button report-apply">Show</button>
  </form>`;
}

function Controls({ asked, timeZone }) {
  function choosePeriod(event) {
    const period = event.currentTarget.value;
    if (period === "custom") {
      // Start from the days shown now, so the report stays as it is until they change.
      const valid = asked.errors === null;
      setQuery({ period, from: valid ? asked.from : null, to: valid ? asked.to : null });
    } else {
      setQuery({ period: period === DEFAULT_PERIOD ? null : period, from: null, to: null });
    }
  }

  return html`<div class="report-controls">
    <div class="report-control">
      <label class="report-control-label" for="report-period">Period</label>
      <select class="field-input report-input" id="report-period" value=${asked.period} onChange=${choosePeriod}>
        ${PERIODS.map((period) => html`<option key=${period.value} value=${period.value}>${period.label}</option>`)}
      </select>
    </div>
    <div class="report-control">
      <label class="report-control-label" for="report-group">Group by</label>
      <select
        class="field-input report-input"
        id="report-group"
        value=${asked.grouping}
        onChange=${(event) => {
          const group = event.currentTarget.value;
          setQuery({ group: group === DEFAULT_GROUPING ? null : group });
        }}
      >
        ${GROUPINGS.map((grouping) => html`<option key=${grouping.value} value=${grouping.value}>${grouping.label}</option>`)}
      </select>
    </div>
    ${asked.period === "custom" && html`<${CustomPeriod} from=${asked.from} to=${asked.to} errors=${asked.errors} />`}
    <p class="report-period" id="report-period-text">
      ${asked.errors === null
        ? html`<span>${formatDay(asked.from)} – ${formatDay(asked.to)}</span>`
        : html`<span>Choose the days to report on.</span>`}
      ${" "}<span class="report-zone">Time zone: ${timeZone}</span>
    </p>
  </div>`;
}

/** Every month of the period, with the trend report's figures or zeros. */
function monthly(from, to, rows) {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const zero = { opened: 0, saved: 0, lost: 0, rmrAtRisk: "0.00", rmrSaved: "0.00", rmrLost: "0.00" };
  return monthsOf(from, to).map((key) => ({ key, label: formatMonth(key), row: byKey.get(key) ?? zero }));
}

function Figures({ data, grouping, currency }) {
  const report = data.report;
  const noun = grouping.plural;
  if (isEmpty(report.totals)) {
    return html`<section class="report-block report-empty" aria-labelledby="empty-title">
      <h2 class="report-block-title" id="empty-title">Nothing in this period</h2>
      <p class="placeholder">
        No case was reported or closed and no credit was given from ${formatDay(report.from)} to
        ${" "}${formatDay(report.to)}. Choose another period.
      </p>
    </section>`;
  }
  const months = monthly(report.from, report.to, data.trend.rows);
  return html`
    <section class="report-block" aria-labelledby="group-title">
      <h2 class="report-block-title" id="group-title">RMR saved and lost by ${noun}</h2>
      ${report.rows.length === 0
        ? html`<p class="placeholder">No ${noun} has figures in this period.</p>`
        : html`<div class="report-chart-and-table">
            <${Chart}
              id="group-chart"
              kind="bar"
              labels=${report.rows.map((row) => row.label)}
              series=${[
                { label: "RMR saved", values: report.rows.map((row) => row.rmrSaved), color: "--saved" },
                { label: "RMR lost", values: report.rows.map((row) => row.rmrLost), color: "--lost" },
              ]}
              currency=${currency}
              name=${`Bar chart of RMR saved and lost by ${noun}; the table below has the numbers.`}
            />
            <${GroupTable} report=${report} grouping=${grouping} currency=${currency}
              caption=${`By ${noun}, ${formatDay(report.from)} – ${formatDay(report.to)}`} />
          </div>`}
    </section>
    <section class="report-block" aria-labelledby="trend-title">
      <h2 class="report-block-title" id="trend-title">Month by month</h2>
      <div class="report-chart-and-table">
        <${Chart}
          id="trend-chart"
          kind="line"
          labels=${months.map((month) => month.label)}
          series=${[
            { label: "RMR at risk", values: months.map((month) => month.row.rmrAtRisk), color: "--at-risk" },
            { label: "RMR saved", values: months.map((month) => month.row.rmrSaved), color: "--saved" },
            { label: "RMR lost", values: months.map((month) => month.row.rmrLost), color: "--lost" },
          ]}
          currency=${currency}
          name="Line chart of RMR at risk, saved and lost by month; the table below has the numbers."
        />
        <${TrendTable} months=${months} from=${report.from} to=${report.to} currency=${currency}
          caption=${`Month by month, ${formatDay(report.from)} – ${formatDay(report.to)}`} />
      </div>
    </section>`;
}

export function ReportsPage() {
  const { me } = useStore(session);
  const { search } = useStore(location);
  const timeZone = me?.company.timezone ?? "UTC";
  const currency = me?.company.currency ?? "USD";
  const asked = fromAddress(search, today(timeZone));
  const grouping = GROUPINGS.find((one) => one.value === asked.grouping);
  const [state, setState] = useState({ status: "loading", data: null, problem: null });
  const latest = useRef(0);
  const key = asked.errors === null ? `${asked.from}|${asked.to}|${asked.grouping}` : null;

  async function load({ quiet = false } = {}) {
    const ask = latest.current + 1;
    const asking = key;
    latest.current = ask;
    if (!quiet) setState((current) => ({ ...current, status: "loading", problem: null }));
    try {
      const data = await graphql(REPORT, { from: asked.from, to: asked.to, groupBy: asked.grouping });
      if (ask !== latest.current) return; // a newer question is on its way
      signedIn(data.me);
      setState({ status: "ready", data, problem: null, key: asking });
    } catch (error) {
      if (ask !== latest.current) return;
      if (error.kind === "unauthenticated") {
        signedOut(quiet ? "Your session has ended. Sign in again." : "");
        return;
      }
      if (!quiet) setState({ status: "error", data: null, problem: error });
    }
  }

  useEffect(() => {
    if (key !== null) {
      load();
    } else {
      latest.current += 1;
      setState({ status: "idle", data: null, problem: null });
    }
  }, [key]);

  // Someone else's change to a case, a customer, a list or the company: the same report
  // is read again in place (one read for a burst of changes). The read is the one the page
  // asks when the timer fires, not when the change came: a period chosen in between wins.
  const liveTimer = useRef(0);
  const reload = useRef(null);
  reload.current = () => key !== null && load({ quiet: true });
  useLiveChanges((change) => {
    if (change.entityType === "API_TOKEN") return;
    clearTimeout(liveTimer.current);
    liveTimer.current = setTimeout(() => reload.current(), 250);
  });
  useEffect(() => () => clearTimeout(liveTimer.current), []);

  // The company's time zone decides what "this month" is: once it is known (or changes),
  // the days follow it, and the key above asks again. Until the answer to what the address
  // asks now arrives, nothing of an older answer is drawn under the new names.
  const ready = state.status === "ready" && state.key === key;

  return html`<${Page} title="Reports" lede=${LEDE} busy=${state.status === "loading"}>
    <div class="report-toolbar">
      <${Controls} asked=${asked} timeZone=${timeZone} />
      ${key !== null &&
      html`<a
        class="button report-download"
        href=${csvHref(asked.grouping, asked.from, asked.to)}
        download=${`retention-${asked.from}-${asked.to}.csv`}
      >
        Download CSV
      </a>`}
    </div>

    ${state.status === "error" &&
    html`<div class="problem">
      <p class="problem-message" role="alert">
        ${state.problem?.kind === "server" && state.problem.errors?.[0]?.message
          ? `Could not load the report: ${state.problem.errors[0].message}`
          : (LOAD_PROBLEMS[state.problem?.kind] ?? LOAD_PROBLEMS.server)}
      </p>
      <button
        type="button"
        class="button"
        onClick=${() => {
          requestTitleFocus();
          load();
        }}
      >Retry</button>
    </div>`}

    ${state.status !== "idle" && state.status !== "error" &&
    html`<${Tiles} data=${state.data} currency=${currency} status=${ready ? "ready" : "loading"} />`}
    ${state.status === "loading" && html`<p class="placeholder report-loading">Loading the report…</p>`}
    ${ready && html`<${Figures} data=${state.data} grouping=${grouping} currency=${currency} />`}
  </${Page}>`;
}
