// The tables beside the charts: every figure of each row exactly as the report gives it,
// money in the company's currency. A wide table scrolls inside its own frame (reachable by
// keyboard), never the page.

import { html } from "../../lib/dom.js";
import { Link } from "../../lib/router.js";
import { casesHref, formatAverage, formatCount, formatMoney, formatRate } from "./figures.js";

const GROUP_COLUMNS = [
  { name: "Opened", cell: (row) => formatCount(row.opened), field: "opened" },
  { name: "RMR at risk", cell: (row, currency) => formatMoney(row.rmrAtRisk, currency), field: "rmrAtRisk" },
  { name: "Saved", cell: (row) => formatCount(row.saved), field: "saved" },
  { name: "RMR saved", cell: (row, currency) => formatMoney(row.rmrSaved, currency), field: "rmrSaved" },
  { name: "Lost", cell: (row) => formatCount(row.lost), field: "lost" },
  { name: "RMR lost", cell: (row, currency) => formatMoney(row.rmrLost, currency), field: "rmrLost" },
  { name: "Withdrawn", cell: (row) => formatCount(row.withdrawn), field: "withdrawn" },
  { name: "Credited", cell: (row, currency) => formatMoney(row.credited, currency), field: "credited" },
  { name: "Save rate", cell: (row) => formatRate(row.saveRate), field: "saveRate" },
  { name: "Avg. days to close", cell: (row) => formatAverage(row.averageDaysToClose), field: "averageDaysToClose" },
];

const TREND_COLUMNS = GROUP_COLUMNS.filter((column) =>
  ["opened", "rmrAtRisk", "saved", "rmrSaved", "lost", "rmrLost"].includes(column.field),
);

function Frame({ id, caption, children }) {
  return html`<div class="report-table-frame" role="region" aria-labelledby=${id} tabindex="0">
    <table class="report-table">
      <caption id=${id}>${caption}</caption>
      ${children}
    </table>
  </div>`;
}

function Cells({ row, columns, currency }) {
  return columns.map(
    (column) => html`<td key=${column.field} data-field=${column.field}>${column.cell(row, currency)}</td>`,
  );
}

/** The report's rows by group, each a link to its cases, and the totals below. */
export function GroupTable({ report, grouping, currency, caption }) {
  return html`<${Frame} id="group-table-caption" caption=${caption}>
    <thead>
      <tr>
        <th scope="col">${grouping.label}</th>
        ${GROUP_COLUMNS.map((column) => html`<th scope="col" key=${column.field}>${column.name}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${report.rows.map((row) => {
        const href = casesHref(grouping.value, row.key, report.from, report.to);
        return html`<tr key=${row.key} data-key=${row.key}>
          <th scope="row">
            ${href === null
              ? row.label
              : html`<${Link} href=${href} aria-label=${`${row.label}: open its cases`}>${row.label}</${Link}>`}
          </th>
          <${Cells} row=${row} columns=${GROUP_COLUMNS} currency=${currency} />
        </tr>`;
      })}
    </tbody>
    <tfoot>
      <tr data-key="total">
        <th scope="row">Total</th>
        <${Cells} row=${report.totals} columns=${GROUP_COLUMNS} currency=${currency} />
      </tr>
    </tfoot>
  </${Frame}>`;
}

/** Month by month (months with nothing show zeros), each month a link to its cases. */
export function TrendTable({ months, from, to, currency, caption }) {
  return html`<${Frame} id="trend-table-caption" caption=${caption}>
    <thead>
      <tr>
        <th scope="col">Month</th>
        ${TREND_COLUMNS.map((column) => html`<th scope="col" key=${column.field}>${column.name}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${months.map(
        (month) => html`<tr key=${month.key} data-key=${month.key}>
          <th scope="row">
            <${Link} href=${casesHref("MONTH", month.key, from, to)} aria-label=${`${month.label}: open its cases`}>
              ${month.label}
            </${Link}>
          </th>
          <${Cells} row=${month.row} columns=${TREND_COLUMNS} currency=${currency} />
        </tr>`,
      )}
    </tbody>
  </${Frame}>`;
}
