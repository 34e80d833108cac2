import type { ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import type { WaiterErrorContext } from './WaiterError.js';
import { WaiterError, formatDuration, hasWaiterCode } from './WaiterError.js';

/** The resource reached `FAILED`. `lastResource.Message` holds the service's reason, `LogUri` its log. */
export class ResourceFailedError<K extends ResourceKind = ResourceKind> extends WaiterError<K> {
  override readonly name = 'ResourceFailedError' as const;
  readonly code = 'RESOURCE_FAILED' as const;

  constructor(context: WaiterErrorContext<K>) {
    const resource = context.lastResource as { Message?: string; LogUri?: string } | undefined;
    const serviceMessage = resource?.Message?.trim().replace(/[.!]+$/, '');
    const reason = serviceMessage ? `: ${serviceMessage}` : ' (the service gave no message)';
    const log = resource?.LogUri ? ` (log: ${resource.LogUri})` : '';
    super(
      `${capitalize(resourceKinds[context.kind].noun)} ${context.id} FAILED after ${formatDuration(context.elapsedMs)} of waiting${reason}${log}.`,
      context,
    );
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `true` for a {@link ResourceFailedError} from any copy of this package. */
export const isResourceFailedError: (error: unknown) => error is ResourceFailedError =
  hasWaiterCode('RESOURCE_FAILED');
