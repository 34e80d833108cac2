/** The API model's `EntityId`: 1–64 characters of `[a-zA-Z0-9_.-]`. */
export const ENTITY_ID_PATTERN = /^[a-zA-Z0-9_.-]{1,64}$/;

/** `true` when `value` is a syntactically valid Amazon ML entity id. */
export function isValidEntityId(value: unknown): value is string {
  return typeof value === 'string' && ENTITY_ID_PATTERN.test(value);
}
