/**
 * A dependency-free SVG bar chart for the benchmark docs: one panel per metric, one horizontal bar per
 * contender, each panel scaled to its own largest value, the value printed at the end of each bar.
 */

/** One metric: a value per label (same order as {@link BarChart.labels}). */
export interface ChartPanel {
  readonly title: string;
  readonly values: readonly number[];
}

/** The chart: a title, the contender labels and the panels. */
export interface BarChart {
  readonly title: string;
  readonly labels: readonly string[];
  readonly panels: readonly ChartPanel[];
}

const COLORS = ['#2b6cb0', '#2f855a', '#c05621', '#718096', '#6b46c1', '#b83280'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Renders `chart` as a standalone SVG document. */
export function barChartSvg(chart: BarChart): string {
  const labelWidth = 190;
  const barArea = 260;
  const valueWidth = 70;
  const panelWidth = labelWidth + barArea + valueWidth;
  const barHeight = 18;
  const gap = 6;
  const columns = 2;
  const panelHeight = 28 + chart.labels.length * (barHeight + gap) + 10;
  const rowsOfPanels = Math.ceil(chart.panels.length / columns);
  const width = columns * panelWidth + 20;
  const height = 40 + rowsOfPanels * panelHeight + 10;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="15" font-weight="600" fill="#1a202c">${escapeXml(chart.title)}</text>`,
  ];
  chart.panels.forEach((panel, p) => {
    const x0 = 10 + (p % columns) * panelWidth;
    const y0 = 40 + Math.floor(p / columns) * panelHeight;
    const finite = panel.values.filter((v) => Number.isFinite(v) && v > 0);
    const max = finite.length > 0 ? Math.max(...finite) : 1;
    parts.push(
      `<text x="${x0}" y="${y0 + 16}" font-weight="600" fill="#2d3748">${escapeXml(panel.title)}</text>`,
    );
    chart.labels.forEach((label, i) => {
      const value = panel.values[i] ?? NaN;
      const y = y0 + 28 + i * (barHeight + gap);
      const w = Number.isFinite(value) && value > 0 ? Math.max(1, (value / max) * barArea) : 0;
      parts.push(
        `<text x="${x0 + labelWidth - 8}" y="${y + 13}" text-anchor="end" fill="#4a5568">${escapeXml(label)}</text>`,
        `<rect x="${x0 + labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${COLORS[i % COLORS.length]!}"/>`,
        `<text x="${(x0 + labelWidth + w + 4).toFixed(1)}" y="${y + 13}" fill="#1a202c">${escapeXml(formatValue(value))}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
