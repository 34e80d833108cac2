/** An operation result that is already serialized (a cached view), sent as is. */
export class JsonText {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}
