/**
 * The emulator console's page (`/__console/`): built by `npm run build` into
 * `dist/emulator/console/console.js`. It talks to the emulator only through the token-protected control
 * interface (`/__control/…`) and the change stream (`/__console/events`), with the token in a header.
 */
import { ConsoleState } from './ConsoleState.js';
import { ConsoleStream } from './ConsoleStream.js';
import type { ControlRequestError } from './ControlClient.js';
import { ControlClient } from './ControlClient.js';
import { CreateForm } from './CreateForm.js';
import { byId, formatDuration } from './dom.js';
import { describeFault, FaultPanel } from './FaultPanel.js';
import { PushDialog } from './PushDialog.js';
import { RequestTable } from './RequestTable.js';
import type { PushStatus } from './ResourceTable.js';
import { ResourceTable } from './ResourceTable.js';
import { TokenStore } from './TokenStore.js';
import { TrafficChart } from './TrafficChart.js';
import type { ConsoleResource } from '../ConsoleEvent.js';
import type { FaultRuleState } from '../../FaultRule.js';

const tokens = new TokenStore();
tokens.takeFromLocation(location, history);
const client = new ControlClient(tokens);
const state = new ConsoleState();

const notice = byId('notice', HTMLElement);
const connection = byId('connection', HTMLElement);
const clock = byId('clock', HTMLElement);
const tokenForm = byId('token-form', HTMLFormElement);
const tokenInput = byId('token', HTMLInputElement);
const tokenState = byId('token-state', HTMLElement);
const forgetToken = byId('forget-token', HTMLButtonElement);

/** Shows the outcome of the last action (or why nothing happened) in the notice line. */
function say(text: string, kind: 'ok' | 'error'): void {
  notice.textContent = text;
  notice.className = `notice ${kind}`;
  notice.hidden = false;
}

function showTokenState(): void {
  const has = tokens.get() !== undefined;
  tokenState.textContent = has ? 'A control token is set for this tab.' : 'No control token yet.';
  forgetToken.hidden = !has;
}

function failed(error: unknown): void {
  const problem = error as ControlRequestError;
  say(problem.message, 'error');
  if (problem.isTokenProblem) {
    showTokenState();
    tokenInput.focus();
  }
}

/** Runs a control call and reports its outcome. */
function act(call: () => Promise<unknown>, done: string): void {
  call().then(() => {
    say(done, 'ok');
  }, failed);
}

const dialog = new PushDialog();
async function push(resource: ConsoleResource, status: PushStatus): Promise<void> {
  const message = status === 'FAILED' ? await dialog.askFailureMessage(resource) : undefined;
  if (status === 'FAILED' && message === undefined) return;
  act(
    () =>
      client.call('POST', `/resources/${resource.kind}/${encodeURIComponent(resource.id)}/script`, {
        steps: [{ status, ...(message === undefined ? {} : { message }) }],
      }),
    `Pushed ${resource.kind} ${resource.id} to ${status}${message === undefined ? '' : `: ${message}`}.`,
  );
}

const resources = new ResourceTable(
  byId('resource-rows', HTMLTableSectionElement),
  byId('no-resources', HTMLElement),
  byId('resource-kind', HTMLSelectElement),
  (resource, status) => void push(resource, status),
);
const requests = new RequestTable(
  byId('request-rows', HTMLTableSectionElement),
  byId('request-summary', HTMLElement),
  byId('request-id-filter', HTMLInputElement),
  byId('request-operation-filter', HTMLSelectElement),
);
const traffic = new TrafficChart(
  byId('rate-chart', HTMLElement),
  byId('rate-text', HTMLElement),
  byId('top-resources', HTMLOListElement),
);
const faults = new FaultPanel(
  (rule) => {
    client.call('POST', '/faults', rule).then((answer) => {
      const ruleId = (answer as { ruleId: string }).ruleId;
      const added = { ...rule, ruleId, matched: 0, applied: 0 } as FaultRuleState;
      say(`Added ${ruleId}: ${describeFault(added)}.`, 'ok');
    }, failed);
  },
  (ruleId) => {
    act(() => client.call('DELETE', `/faults/${encodeURIComponent(ruleId)}`), `Removed ${ruleId}.`);
  },
  () => {
    act(() => client.call('DELETE', '/faults'), 'Removed every fault.');
  },
);
new CreateForm((request) => {
  const id = Object.values(request.resource)[0] as string;
  act(() => client.call('POST', '/resources', request), `Created ${request.kind} ${id}.`);
});

let scheduled = false;
/** Redraws once per animation frame at most. */
function render(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    resources.render(state);
    requests.render(state);
    traffic.render(state);
    faults.render(state);
    clock.textContent = state.clock.virtual
      ? `Lifecycle clock: virtual, at ${formatDuration(state.clock.nowClock)}`
      : 'Lifecycle clock: real time';
  });
}

const stream = new ConsoleStream(client, {
  snapshot(snapshot) {
    state.applySnapshot(snapshot);
    render();
  },
  update(update) {
    state.applyUpdate(update);
    render();
  },
  state(now, problem) {
    connection.dataset.state = now;
    switch (now) {
      case 'connecting':
        connection.textContent = 'Connecting…';
        break;
      case 'live':
        connection.textContent = 'Live';
        break;
      case 'retrying':
        connection.textContent = `Reconnecting: ${problem?.message ?? 'the stream ended'}`;
        break;
      case 'stopped':
        connection.textContent = 'Not connected: the console needs the control token';
        if (problem !== undefined) failed(problem);
        break;
    }
  },
});

tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (token === '') return;
  tokens.set(token);
  tokenInput.value = '';
  showTokenState();
  say('Token saved for this tab; connecting…', 'ok');
  stream.start();
});
forgetToken.addEventListener('click', () => {
  tokens.clear();
  showTokenState();
  stream.stop();
  connection.dataset.state = 'stopped';
  connection.textContent = 'Not connected: the console needs the control token';
  tokenInput.focus();
});
byId('reset', HTMLButtonElement).addEventListener('click', () => {
  act(
    () => client.call('POST', '/reset'),
    'The emulator was reset: resources, faults and the request log are gone.',
  );
});
for (const id of ['resource-kind', 'request-operation-filter'])
  byId(id, HTMLSelectElement).addEventListener('change', render);
byId('request-id-filter', HTMLInputElement).addEventListener('input', render);

showTokenState();
stream.start();
render();
