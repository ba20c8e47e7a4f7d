// The insights page's charts (bot/web/templates/insights.html): the counts the page embeds, drawn
// with Chart.js (bundled from the npm package pinned in package-lock.json; no CDN).
import Chart from "chart.js/auto";

const data = JSON.parse(document.getElementById("insights-data").textContent);
const words = JSON.parse(document.getElementById("insights-labels").textContent);
const colors = ["#0b5cab", "#e07b00", "#1b8a5a", "#8a1c7c", "#c62828", "#5f6b7a"];
const common = { responsive: true, maintainAspectRatio: false, animation: false };

function draw(id, config) {
  const canvas = document.getElementById(id);
  if (canvas) new Chart(canvas, { ...config, options: { ...common, ...(config.options || {}) } });
}

const series = (metric, i, type) => ({
  label: words["series_" + metric], data: data.series[metric], type,
  borderColor: colors[i], backgroundColor: colors[i], tension: 0.2, pointRadius: 2,
});

draw("chart-traffic", {
  type: data.periods.length > 1 ? "line" : "bar",  // one day has no line to draw
  options: { scales: { y: { beginAtZero: true } } },
  data: { labels: data.periods, datasets: ["conversations", "applicants", "messages"].map((m, i) => series(m, i)) },
});

draw("chart-outcomes", {
  type: "bar",
  data: { labels: data.periods, datasets: ["not_understood", "out_of_scope", "faq"].map((m, i) => series(m, i + 3)) },
  options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
});

const channels = Object.keys(data.by_channel).sort();
const languages = ["ko", "en"];
draw("chart-channels", {
  type: "bar",
  data: {
    labels: channels.map((c) => words["channel_" + c] || c),
    datasets: languages.map((lang, i) => ({
      label: words["language_" + lang], backgroundColor: colors[i],
      data: channels.map((c) => (data.by_language[lang] ? countFor(c, lang) : 0)),
    })),
  },
  options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
});

// Messages of one channel in one language: by_channel and by_language are each totals, so the
// page also embeds the cross counts.
function countFor(channel, lang) {
  return ((data.by_channel_language || {})[channel] || {})[lang] || 0;
}

draw("chart-topics", {
  type: "bar",
  data: { labels: data.topic_labels, datasets: [{ label: words.series_answered, data: data.topics.map((t) => t[1]), backgroundColor: colors[0] }] },
  options: { indexAxis: "y", plugins: { legend: { display: false } } },
});
