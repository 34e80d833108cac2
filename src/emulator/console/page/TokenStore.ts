const STORAGE_KEY = 'aml-emulator-console.token';
const HASH_PREFIX = '#token=';

/**
 * The control token, kept in the tab's session storage (gone when the tab closes; never a cookie, so
 * the browser never sends it by itself). `aml-emulator --console` prints the page's URL with the token
 * in the fragment (`#token=…`, never sent to the server): the page takes it from there once and removes
 * it from the address bar and the history entry.
 */
export class TokenStore {
  readonly #storage: Storage;

  constructor(storage: Storage = sessionStorage) {
    this.#storage = storage;
  }

  get(): string | undefined {
    const token = this.#storage.getItem(STORAGE_KEY);
    return token === null || token === '' ? undefined : token;
  }

  set(token: string): void {
    this.#storage.setItem(STORAGE_KEY, token.trim());
  }

  clear(): void {
    this.#storage.removeItem(STORAGE_KEY);
  }

  /** Moves a `#token=…` fragment into the store; returns whether there was one. */
  takeFromLocation(location: Location, history: History): boolean {
    if (!location.hash.startsWith(HASH_PREFIX)) return false;
    const token = decodeURIComponent(location.hash.slice(HASH_PREFIX.length));
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    if (token === '') return false;
    this.set(token);
    return true;
  }
}
