import type { IncomingHttpHeaders } from 'node:http';

/** `name[:port]` of a `Host` header or a URL's host, split; the name lower case, IPv6 in brackets. */
function splitHost(host: string): { name: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
  if (match === null) return undefined;
  const name = (match[1] as string).toLowerCase();
  return { name, port: match[2] === undefined ? undefined : Number(match[2]) };
}

/**
 * Why a request to the console or the control interface must be refused as coming from another site,
 * or `undefined` when it may proceed. Checks, against DNS rebinding and cross-site requests:
 * - `Host` names an allowed host and the emulator's port;
 * - `Origin`, when sent, is `http(s)://` an allowed host and the port (`null` is refused);
 * - `Sec-Fetch-Site`, when sent, is `same-origin` or `none` (another local site is `same-site`).
 * A request without `Origin` (curl, the AWS SDK, a page's own same-origin `GET`) passes on `Host` alone.
 */
export function foreignRequestProblem(
  headers: IncomingHttpHeaders,
  allowedHosts: ReadonlySet<string>,
  port: number,
): string | undefined {
  const allowed = (value: string, defaultPort: number): boolean => {
    const host = splitHost(value);
    return host !== undefined && allowedHosts.has(host.name) && (host.port ?? defaultPort) === port;
  };
  const host = headers.host;
  if (host === undefined || !allowed(host, 80)) {
    return `Host ${JSON.stringify(host ?? '')} is not one this emulator answers to (${[...allowedHosts].join(', ')} on port ${port})`;
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    const defaultPort = url?.protocol === 'https:' ? 443 : 80;
    const sameSite =
      url !== undefined &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      allowed(url.host, defaultPort);
    if (!sameSite)
      return `Origin ${JSON.stringify(origin)} may not use this emulator's console or control interface`;
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `A ${site} request may not use this emulator's console or control interface`;
  }
  return undefined;
}
