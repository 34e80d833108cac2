/** `YYYYMMDDTHHMMSSZ` for an epoch-ms time (the `X-Amz-Date` format). */
export function formatAmzDate(timeMs: number): string {
  const iso = new Date(timeMs).toISOString(); // 2015-08-30T12:36:00.000Z
  return (
    iso.slice(0, 4) +
    iso.slice(5, 7) +
    iso.slice(8, 10) +
    'T' +
    iso.slice(11, 13) +
    iso.slice(14, 16) +
    iso.slice(17, 19) +
    'Z'
  );
}
