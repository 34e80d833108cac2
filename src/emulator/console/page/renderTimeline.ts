import type { ConsolePhase } from '../ConsoleEvent.js';
import { describeTimeline, phaseLabel } from './describeTimeline.js';
import { formatDuration, h } from './dom.js';

/**
 * Fills `container` with a resource's lifecycle on a time axis: one segment per phase (coloured by
 * status and labelled with the status word), the phases to come after the `now` mark, the axis ends
 * labelled relative to now. The words are also the container's accessible name.
 */
export function renderTimeline(
  container: HTMLElement,
  phases: readonly ConsolePhase[],
  nowClock: number,
): void {
  const start = phases[0]?.fromClock ?? nowClock;
  const lastFinite = phases.reduce((end, p) => Math.max(end, p.untilClock ?? p.fromClock), start);
  const known = Math.max(nowClock, lastFinite);
  const openEnded = phases.at(-1)?.untilClock === null;
  // An open-ended last phase gets a fifth of the axis (at least a second) so it shows as lasting.
  const end = known + (openEnded ? Math.max(1000, (known - start) * 0.25) : 0);
  const span = Math.max(1, end - start);
  const x = (t: number): number => ((Math.min(Math.max(t, start), end) - start) / span) * 100;

  const bar = h('div', { class: 'timeline-bar' });
  for (const phase of phases) {
    const from = x(phase.fromClock);
    const until = x(phase.untilClock ?? end);
    const future = phase.fromClock > nowClock;
    const segment = h('span', {
      class: `phase status-${phase.status ?? 'HIDDEN'}${future ? ' future' : ''}${phase.untilClock === null ? ' open' : ''}`,
      text: phaseLabel(phase),
      attrs: {
        title: phase.message === undefined ? phaseLabel(phase) : `${phaseLabel(phase)}: ${phase.message}`,
      },
    });
    segment.style.left = `${from}%`;
    segment.style.width = `${Math.max(0, until - from)}%`;
    bar.append(segment);
  }
  const now = h('span', { class: 'now-mark', attrs: { 'aria-hidden': 'true' } });
  now.style.left = `${x(nowClock)}%`;
  bar.append(now);

  const axis = h(
    'div',
    { class: 'timeline-axis', attrs: { 'aria-hidden': 'true' } },
    h('span', { text: nowClock - start > 0 ? `−${formatDuration(nowClock - start)}` : 'now' }),
    h('span', { class: 'axis-now', text: 'now' }),
    h('span', {
      text: end > nowClock ? `+${formatDuration(end - nowClock)}${openEnded ? ' …' : ''}` : 'now',
    }),
  );
  const axisNow = axis.children[1] as HTMLElement;
  axisNow.style.left = `${x(nowClock)}%`;
  container.replaceChildren(bar, axis);
  container.setAttribute('aria-label', `Lifecycle: ${describeTimeline(phases, nowClock)}`);
}
