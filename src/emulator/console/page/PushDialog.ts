import type { ConsoleResource } from '../ConsoleEvent.js';
import { byId } from './dom.js';

/**
 * The dialog that asks for the failure message before a resource is pushed to FAILED (a modal
 * `<dialog>`: it takes the focus, Escape cancels, and the focus returns to the button that opened it).
 */
export class PushDialog {
  readonly #dialog = byId('push-dialog', HTMLDialogElement);
  readonly #form = byId('push-form', HTMLFormElement);
  readonly #title = byId('push-title', HTMLElement);
  readonly #message = byId('push-message', HTMLInputElement);
  #resolve: ((message: string | undefined) => void) | undefined;

  constructor() {
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#finish(
        this.#message.value.trim() === '' ? 'Failed from the emulator console' : this.#message.value,
      );
    });
    byId('push-cancel', HTMLButtonElement).addEventListener('click', () => {
      this.#finish(undefined);
    });
    this.#dialog.addEventListener('close', () => {
      this.#finish(undefined);
    });
  }

  /** Asks for the message; resolves with it, or `undefined` when cancelled. */
  askFailureMessage(resource: ConsoleResource): Promise<string | undefined> {
    this.#title.textContent = `Push ${resource.kind} ${resource.id} to FAILED`;
    this.#message.value = '';
    this.#dialog.showModal();
    this.#message.focus();
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  #finish(message: string | undefined): void {
    const resolve = this.#resolve;
    this.#resolve = undefined;
    if (this.#dialog.open) this.#dialog.close();
    resolve?.(message);
  }
}
