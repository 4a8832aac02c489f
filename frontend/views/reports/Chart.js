// A chart drawn with the vendored Chart.js on a <canvas>, loaded the first time a chart is
// shown (the other pages never load it). The canvas is an image with a name that points to
// the table beside it, which has the same numbers for screen readers and keyboards.
//
// Money arrives as decimal strings ("49.90"); the chart plots them as numbers but its
// tooltips and axis write them with the company's currency.

import { html, useEffect, useRef, useState } from "../../lib/dom.js";
import { formatMoney } from "../../lib/format.js";

let loading = null;
const SHORT = 22; // characters of a category's name along the axis

/** Chart.js with the pieces these charts use, registered once. */
function library() {
  if (loading === null) {
    loading = import("../../vendor/chart-4.6.1.module.js").then((chartjs) => {
      const { Chart, BarController, BarElement, CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } = chartjs;
      Chart.register(BarController, BarElement, CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip);
      return Chart;
    });
    loading.catch(() => {
      loading = null; // the next chart tries again
    });
  }
  return loading;
}

/** A colour of the stylesheet (a custom property of :root), so charts follow its palette. */
function palette(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function config(kind, labels, series, currency) {
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const text = palette("--muted", "#5a6573");
  const grid = palette("--border", "#dde2e9");
  return {
    type: kind,
    data: {
      labels,
      datasets: series.map((one) => {
        const color = palette(one.color, "#1f5fd1");
        return {
          label: one.label,
          data: one.values.map(Number),
          amounts: one.values, // the exact decimal strings, for the tooltips
          backgroundColor: color,
          borderColor: color,
          borderWidth: kind === "line" ? 2 : 0,
          borderRadius: kind === "bar" ? 4 : 0,
          pointRadius: kind === "line" ? 3 : 0,
          tension: 0,
          maxBarThickness: 48,
        };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduced ? false : { duration: 300 },
      interaction: { mode: "index", intersect: false },
      scales: {
        x: {
          ticks: {
            color: text,
            autoSkip: true,
            maxRotation: 0,
            // A long name is cut short along the axis (the tooltip and the table have it whole).
            callback(value) {
              const label = String(this.getLabelForValue(value));
              return label.length > SHORT ? `${label.slice(0, SHORT - 1)}…` : label;
            },
          },
          grid: { display: false },
        },
        y: {
          beginAtZero: true,
          ticks: { color: text, callback: (value) => formatMoney(String(value), currency) },
          grid: { color: grid },
        },
      },
      plugins: {
        legend: { position: "bottom", labels: { color: text, boxWidth: 12, boxHeight: 12 } },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${formatMoney(item.dataset.amounts[item.dataIndex], currency)}`,
          },
        },
      },
    },
  };
}

/**
 * kind     "bar" or "line"
 * labels   the categories along the bottom
 * series   [{label, values (decimal strings), color (a custom property: "--saved")}]
 * name     what the image shows, for screen readers
 */
export function Chart({ kind, labels, series, currency, name, id }) {
  const canvas = useRef(null);
  const chart = useRef(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let gone = false;
    library().then(
      (ChartJs) => {
        if (gone || canvas.current === null) return;
        chart.current?.destroy();
        chart.current = new ChartJs(canvas.current, config(kind, labels, series, currency));
        setFailed(false);
      },
      () => {
        if (!gone) setFailed(true);
      },
    );
    return () => {
      gone = true;
    };
  }, [kind, JSON.stringify([labels, series]), currency]);

  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );

  return html`<div class="chart-box">
    ${failed
      ? html`<p class="placeholder">The chart could not be drawn; the table has the same numbers.</p>`
      : html`<canvas ref=${canvas} id=${id} role="img" aria-label=${name}></canvas>`}
  </div>`;
}
