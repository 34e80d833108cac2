/**
 * The lifecycle status every Amazon ML entity reports (`EntityStatus` in the API model).
 * Note there is no underscore in `INPROGRESS`.
 */
export const EntityStatus = {
  PENDING: 'PENDING',
  INPROGRESS: 'INPROGRESS',
  FAILED: 'FAILED',
  COMPLETED: 'COMPLETED',
  DELETED: 'DELETED',
} as const;

/** One of `PENDING`, `INPROGRESS`, `FAILED`, `COMPLETED`, `DELETED`. */
export type EntityStatus = (typeof EntityStatus)[keyof typeof EntityStatus];

/** The statuses after which an entity never changes again (except `COMPLETED`/`FAILED` → `DELETED`). */
export type TerminalStatus =
  typeof EntityStatus.COMPLETED | typeof EntityStatus.FAILED | typeof EntityStatus.DELETED;

const terminal: ReadonlySet<string> = new Set([
  EntityStatus.COMPLETED,
  EntityStatus.FAILED,
  EntityStatus.DELETED,
]);
const known: ReadonlySet<string> = new Set(Object.values(EntityStatus));

/** `true` for `COMPLETED`, `FAILED` and `DELETED`. */
export function isTerminalStatus(status: string | undefined): status is TerminalStatus {
  return status !== undefined && terminal.has(status);
}

/** `true` for the five statuses the API model defines. */
export function isEntityStatus(status: unknown): status is EntityStatus {
  return typeof status === 'string' && known.has(status);
}
