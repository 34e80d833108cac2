import type { ConsoleState } from './ConsoleState.js';
import { h, svg } from './dom.js';

const SECONDS = 60;
const TOP_RESOURCES = 8;
const WIDTH = 300;
const HEIGHT = 80;

/**
 * The traffic panel: requests per second over the last minute (an SVG bar chart, with the figures in
 * words) and the resources most requested (bars with their counts).
 */
export class TrafficChart {
  readonly #rate: HTMLElement;
  readonly #rateText: HTMLElement;
  readonly #top: HTMLOListElement;

  constructor(rate: HTMLElement, rateText: HTMLElement, top: HTMLOListElement) {
    this.#rate = rate;
    this.#rateText = rateText;
    this.#top = top;
  }

  render(state: ConsoleState): void {
    const perSecond = state.ratePerSecond(SECONDS);
    const peak = Math.max(1, ...perSecond);
    const total = perSecond.reduce((a, b) => a + b, 0);
    const last10 = perSecond.slice(-10).reduce((a, b) => a + b, 0) / 10;
    const barWidth = WIDTH / SECONDS;
    const bars = perSecond.map((count, i) => {
      const height = (count / peak) * (HEIGHT - 4);
      return svg('rect', {
        x: (i * barWidth).toFixed(2),
        y: (HEIGHT - height).toFixed(2),
        width: Math.max(1, barWidth - 1).toFixed(2),
        height: height.toFixed(2),
        class: 'rate-bar',
      });
    });
    const chart = svg(
      'svg',
      {
        viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
        class: 'rate-chart',
        'aria-hidden': 'true',
        preserveAspectRatio: 'none',
      },
      svg('line', { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: 'rate-axis' }),
      ...bars,
    );
    this.#rate.replaceChildren(chart);
    this.#rateText.textContent = `${total} requests in the last minute; ${last10.toFixed(1)} per second over the last 10 s; peak ${Math.max(...perSecond)} in one second.`;

    const ids = new Set([...state.resources.values()].map((r) => r.id));
    const counts = [...state.requestCounts].filter(([id]) => ids.has(id));
    counts.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const top = counts.slice(0, TOP_RESOURCES);
    const max = Math.max(1, ...top.map(([, n]) => n));
    this.#top.replaceChildren(
      ...top.map(([id, n]) => {
        const bar = h('span', { class: 'count-bar', attrs: { 'aria-hidden': 'true' } });
        bar.style.width = `${(n / max) * 100}%`;
        return h(
          'li',
          {},
          h('code', { text: id, attrs: { title: id } }),
          h('span', { class: 'count-track' }, bar),
          h('span', { class: 'number', text: `${n} request${n === 1 ? '' : 's'}` }),
        );
      }),
    );
    if (top.length === 0)
      this.#top.append(h('li', { class: 'muted', text: 'No requests named a resource yet.' }));
  }
}
