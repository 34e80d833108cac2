let cachedSecond = -1;
let cachedValue = '';

/** RFC 7231 `Date` header value for epoch milliseconds, cached per second. */
export function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedValue = new Date(second * 1000).toUTCString();
  }
  return cachedValue;
}
