import { COMPARATORS, FILTER_VARIABLES } from '../model/Describe.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import type { ListView } from './FaultPlan.js';
import type { Input } from './inputValidation.js';
import { NAME_PATTERN, NAME_RULE, enumMember } from './inputValidation.js';
import { renderResource } from './renderResource.js';
import type { ResourceStore } from './ResourceStore.js';
import { serviceErrors } from './ServiceError.js';
import type { StoredResource } from './StoredResource.js';

/**
 * The records a first page matched, in order, for the pages after it: the query they answer, the store's
 * version and the instant they were computed at.
 */
interface Scan {
  readonly records: readonly StoredResource[];
  readonly version: number;
  readonly at: number;
}

/** Lifecycle-clock milliseconds during which a query's later pages read its first page's scan. */
const SCAN_REUSE_MS = 10_000;
/** Scans kept per store (one per query being paged through: list pollers of several kinds or clients). */
const SCANS_KEPT = 16;
const scans = new WeakMap<ResourceStore, Map<string, Scan>>();

const TIME_VARIABLES: ReadonlySet<string> = new Set(['CreatedAt', 'LastUpdatedAt']);

/** The wire member a `FilterVariable` refers to, per kind. */
function filterValue(kind: ResourceKind, view: Record<string, unknown>, variable: string): unknown {
  switch (variable) {
    case 'IAMUser':
      return view.CreatedByIamUser;
    case 'DataURI':
    case 'TrainingDataURI':
      return view.InputDataLocationS3;
    case 'DataSourceId':
      return kind === 'Evaluation' ? view.EvaluationDataSourceId : view.BatchPredictionDataSourceId;
    case 'RealtimeEndpointStatus':
      return (view.EndpointInfo as Record<string, unknown> | undefined)?.EndpointStatus;
    default:
      return view[variable];
  }
}

function timeComparand(value: string, member: string): number {
  const asNumber = Number(value);
  if (value.trim() !== '' && Number.isFinite(asNumber)) return asNumber;
  const parsed = Date.parse(value);
  if (Number.isFinite(parsed)) return parsed / 1000;
  throw serviceErrors.invalidInput(
    `${member} must be a date (epoch seconds or ISO 8601) when filtering on a time`,
  );
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function decodeToken(token: unknown): number {
  if (token === undefined || token === null) return 0;
  if (typeof token === 'string' && /^[A-Za-z0-9_-]{1,32}$/.test(token)) {
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    const match = /^o:(\d{1,9})$/.exec(decoded);
    if (match !== null) return Number(match[1]);
  }
  throw serviceErrors.invalidInput('NextToken is not a token this service returned');
}

function encodeToken(offset: number): string {
  return Buffer.from(`o:${offset}`, 'latin1').toString('base64url');
}

/**
 * Answers a `Describe…` call: validates the input (`FilterVariable` of the kind, comparators of at most
 * 1024 characters, `SortOrder` `asc`|`dsc`, `Limit` 1–100, a `NextToken` this emulator issued), filters
 * with every comparator given (they combine with AND; on `CreatedAt`/`LastUpdatedAt` they compare times
 * given as epoch seconds or ISO 8601, otherwise strings; without `FilterVariable` they are ignored), sorts
 * by the filter variable (or `CreatedAt`) and returns one page; the pages after the first follow the order
 * the first one found while the store is unchanged (for up to 10 s). Resources not visible yet are left out;
 * DELETED ones are included. A `listView` (the list faults) empties the page, or reads the resources as they
 * were `lagMs` ago.
 */
export function describeResources(
  store: ResourceStore,
  kind: ResourceKind,
  input: Input,
  listView?: ListView,
): Record<string, unknown> {
  const variable = enumMember(input, 'FilterVariable', FILTER_VARIABLES[kind], false);
  const conditions: { op: string; value: string | number }[] = [];
  for (const op of COMPARATORS) {
    const raw = input[op];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'string' || raw.length > 1024 || !NAME_PATTERN.test(raw)) {
      throw serviceErrors.invalidInput(`${op} must be ${NAME_RULE}`);
    }
    if (variable === undefined) continue;
    conditions.push({
      op,
      value: TIME_VARIABLES.has(variable) && op !== 'Prefix' ? timeComparand(raw, op) : raw,
    });
  }
  const order = enumMember(input, 'SortOrder', ['asc', 'dsc'] as const, false) ?? 'asc';
  const rawLimit = input.Limit;
  let limit = 100;
  if (rawLimit !== undefined && rawLimit !== null) {
    if (typeof rawLimit !== 'number' || !Number.isInteger(rawLimit) || rawLimit < 1 || rawLimit > 100) {
      throw serviceErrors.invalidInput('Limit must be an integer from 1 to 100');
    }
    limit = rawLimit;
  }
  const offset = decodeToken(input.NextToken);
  if (listView?.empty === true) return { Results: [] };
  const now = store.now() - (listView?.lagMs ?? 0);
  const sortBy = variable ?? 'CreatedAt';
  const matching = (view: Record<string, unknown>): boolean => {
    if (variable === undefined) return true;
    const actual = filterValue(kind, view, variable);
    return conditions.every(({ op, value }) => matchesCondition(actual, op, value));
  };
  // The pages after the first read the order the first one found (a list of thousands is paged through in
  // tens of calls; each used to render, filter and sort every record of the kind): each record of the page is
  // shown as it is now, and left out if it no longer matches. A change to the store, or time, starts afresh.
  const queryKey = JSON.stringify([kind, variable, conditions, order, listView?.lagMs ?? 0]);
  let byQuery = scans.get(store);
  const scan = byQuery?.get(queryKey);
  if (offset > 0 && scan?.version === store.version && now - scan.at <= SCAN_REUSE_MS) {
    const page: Readonly<Record<string, unknown>>[] = [];
    for (const record of scan.records.slice(offset, offset + limit)) {
      const view = renderResource(record, now, 'describe');
      if (view !== undefined && matching(view)) page.push(view);
    }
    const output: Record<string, unknown> = { Results: page };
    if (offset + limit < scan.records.length) output.NextToken = encodeToken(offset + limit);
    return output;
  }
  const matches: { record: StoredResource; view: Readonly<Record<string, unknown>>; key: string | number }[] =
    [];
  // `Name` EQ (how the AWS SDK's waiters find one job) reads the name index, not every record.
  const named = variable === 'Name' ? conditions.find((c) => c.op === 'EQ')?.value : undefined;
  const candidates = typeof named === 'string' ? store.recordsNamed(kind, named) : store.records(kind);
  for (const record of candidates) {
    // A lagging index has not seen the jobs created since the instant it shows.
    if ((record.timeline[0]?.from ?? -Infinity) > now) continue;
    const view = renderResource(record, now, 'describe');
    if (view === undefined || !matching(view)) continue;
    const key = filterValue(kind, view, sortBy);
    matches.push({ record, view, key: typeof key === 'number' || typeof key === 'string' ? key : '' });
  }
  matches.sort((a, b) => compare(a.key, b.key) || compare(a.record.id, b.record.id));
  if (order === 'dsc') matches.reverse();
  if (matches.length > offset + limit) {
    if (byQuery === undefined) scans.set(store, (byQuery = new Map<string, Scan>()));
    byQuery.delete(queryKey);
    byQuery.set(queryKey, { records: matches.map((m) => m.record), version: store.version, at: now });
    // The oldest query paged through goes first.
    if (byQuery.size > SCANS_KEPT) byQuery.delete(byQuery.keys().next().value as string);
  }
  const page = matches.slice(offset, offset + limit).map((m) => m.view);
  const output: Record<string, unknown> = { Results: page };
  if (offset + limit < matches.length) output.NextToken = encodeToken(offset + limit);
  return output;
}

function matchesCondition(actual: unknown, op: string, value: string | number): boolean {
  if (op === 'Prefix') return typeof actual === 'string' && actual.startsWith(String(value));
  if (actual === undefined) return op === 'NE';
  let left: string | number;
  if (typeof value === 'number') {
    if (typeof actual !== 'number') return false;
    left = actual;
  } else {
    left = typeof actual === 'string' ? actual : JSON.stringify(actual);
  }
  const c = compare(left, value);
  switch (op) {
    case 'EQ':
      return c === 0;
    case 'NE':
      return c !== 0;
    case 'GT':
      return c > 0;
    case 'GE':
      return c >= 0;
    case 'LT':
      return c < 0;
    case 'LE':
      return c <= 0;
    default:
      return false;
  }
}
