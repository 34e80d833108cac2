import type { LifecycleStep } from '../../LifecycleScript.js';
import type { ResourceKind } from '../../../model/ResourceKind.js';
import { isResourceKind, resourceKinds } from '../../../model/ResourceKind.js';
import { byId } from './dom.js';

/** What the form sends to `POST /__control/resources`. */
interface CreateRequest {
  readonly kind: ResourceKind;
  readonly resource: Readonly<Record<string, unknown>>;
  readonly script?: readonly LifecycleStep[] | undefined;
}

function seconds(id: string): number {
  const value = Number(byId(id, HTMLInputElement).value);
  return Number.isFinite(value) && value > 0 ? value * 1000 : 0;
}

/**
 * The "create a resource" form: kind, id, name, and either the emulator's default lifecycle for the
 * kind or a scripted one (not visible for a while, PENDING for…, INPROGRESS for…, then COMPLETED or
 * FAILED with a message). The emulator validates everything and says what is wrong.
 */
export class CreateForm {
  readonly #form = byId('create-form', HTMLFormElement);
  readonly #scripted = byId('create-scripted', HTMLInputElement);
  readonly #scriptFields = byId('create-script-fields', HTMLFieldSetElement);

  constructor(create: (request: CreateRequest) => void) {
    const sync = (): void => {
      this.#scriptFields.disabled = !this.#scripted.checked;
    };
    for (const radio of this.#form.querySelectorAll('input[name="lifecycle"]'))
      radio.addEventListener('change', sync);
    sync();
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      create(this.#read());
    });
  }

  #read(): CreateRequest {
    const kindValue = byId('create-kind', HTMLSelectElement).value;
    const kind: ResourceKind = isResourceKind(kindValue) ? kindValue : 'BatchPrediction';
    const name = byId('create-name', HTMLInputElement).value.trim();
    const resource = {
      [resourceKinds[kind].idMember]: byId('create-id', HTMLInputElement).value.trim(),
      ...(name === '' ? {} : { Name: name }),
    };
    if (!this.#scripted.checked) return { kind, resource };
    const hidden = seconds('create-hidden');
    const outcome = byId('create-outcome', HTMLSelectElement).value === 'FAILED' ? 'FAILED' : 'COMPLETED';
    const message = byId('create-message', HTMLInputElement).value.trim();
    const script: LifecycleStep[] = [
      ...(hidden > 0 ? [{ notFoundForMs: hidden }] : []),
      { status: 'PENDING', forMs: seconds('create-pending') },
      { status: 'INPROGRESS', forMs: seconds('create-inprogress') },
      outcome === 'FAILED'
        ? { status: 'FAILED', message: message === '' ? 'Scripted failure' : message }
        : { status: 'COMPLETED' },
    ];
    return { kind, resource, script };
  }
}
