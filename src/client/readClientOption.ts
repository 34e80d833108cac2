import { describeValue } from '../model/describeValue.js';
import type { Logger } from '../model/Logger.js';
import type { AmazonMLClientConfig } from './AmazonMLClientConfig.js';
import type { TelemetryOption } from './TelemetryOption.js';

/**
 * @internal Reads a `client` option, as every part that takes one does (a wait, `waitForAll`, the fleet
 * worker): a client the caller owns — any object with a `get` method, an `AmazonMLClient` or a stand-in —
 * comes back as `{ given }`; anything else is the config of a client to make, returned as `{ config }` with
 * `defaults` filling the `logger` and `telemetry` it leaves out (the made client reports as its owner does).
 * Throws a `TypeError` naming `client` when the value is neither.
 */
export function readClientOption<C extends object>(
  value: unknown,
  defaults: { readonly logger?: Logger | undefined; readonly telemetry?: TelemetryOption | undefined },
): { readonly given: C } | { readonly config: AmazonMLClientConfig } {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new TypeError(
      `Expected \`client\` to be an AmazonMLClient or a client config object, got ${describeValue(value)}.`,
    );
  }
  if (value !== undefined && typeof (value as { get?: unknown }).get === 'function')
    return { given: value as C };
  const config = value as AmazonMLClientConfig | undefined;
  const logger = config?.logger ?? defaults.logger;
  const telemetry = config?.telemetry ?? defaults.telemetry;
  return {
    config: {
      ...config,
      ...(logger === undefined ? {} : { logger }),
      ...(telemetry === undefined ? {} : { telemetry }),
    },
  };
}
