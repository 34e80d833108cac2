/** Options of the emulator console (`startEmulator({ console: … })`). */
export interface ConsoleOptions {
  /**
   * Host names (or IP addresses) other than loopback by which browsers may reach the console, e.g.
   * `['devbox.lan']`. Required when the emulator is bound to an interface other than loopback: the
   * console then refuses to start unless you name them. Requests whose `Host` or `Origin` names anything
   * else are refused (DNS rebinding).
   */
  readonly allowedHosts?: readonly string[] | undefined;
}

/** The console's settings after validation. */
export interface ResolvedConsoleOptions {
  /** Lower-case host names a `Host`/`Origin` header may name (loopback names included), IPv6 in brackets. */
  readonly allowedHosts: ReadonlySet<string>;
}

/** The names loopback is reached by. */
const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** `true` when `host` (an interface address or name to bind) is a loopback one. */
function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** `host` as it appears in a `Host` header: lower case, IPv6 in brackets. */
function headerForm(host: string): string {
  const h = host.toLowerCase();
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

function validHostName(name: string): boolean {
  if (name.startsWith('[') && name.endsWith(']')) return /^\[[0-9a-f:.]+\]$/.test(name);
  return name.length <= 253 && HOST_NAME.test(name);
}

/**
 * Validates the `console` option given with the emulator's `host`: `false`/`undefined` → no console;
 * `true` or an object → the console. Throws a TypeError naming the option when the console would be
 * reachable beyond loopback without `console.allowedHosts`.
 */
export function resolveConsoleOptions(
  value: boolean | ConsoleOptions | undefined,
  host: string,
): ResolvedConsoleOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true && (typeof value !== 'object' || (value as unknown) === null || Array.isArray(value))) {
    throw new TypeError(
      `Expected \`console\` to be a boolean or { allowedHosts }, got ${JSON.stringify(value)}`,
    );
  }
  const given = value === true ? undefined : value.allowedHosts;
  if (given !== undefined && !Array.isArray(given)) {
    throw new TypeError(
      `Expected \`console.allowedHosts\` to be an array of host names, got ${JSON.stringify(given)}`,
    );
  }
  const extra = (given ?? []).map((name, index) => {
    const form = typeof name === 'string' ? headerForm(name) : '';
    if (!validHostName(form)) {
      throw new TypeError(
        `Expected \`console.allowedHosts[${index}]\` to be a host name or IP address, got ${JSON.stringify(name)}`,
      );
    }
    return form;
  });
  if (!isLoopbackHost(host) && extra.length === 0) {
    throw new TypeError(
      `Expected \`console.allowedHosts\` (--console-allow-host) to name the host names the console may be reached by: ` +
        `\`host\` ${JSON.stringify(host)} is not loopback, and the console is served beyond loopback only when you say so`,
    );
  }
  const allowed = new Set([...LOOPBACK_NAMES, ...extra]);
  if (!isLoopbackHost(host) && host !== '0.0.0.0' && host !== '::') allowed.add(headerForm(host));
  return { allowedHosts: allowed };
}
