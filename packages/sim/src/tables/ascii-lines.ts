/**
 * A growable buffer of ASCII text (every character of the tables is ASCII: digits, signs, exponents, mode names
 * and scenario names, which the schema limits to letters, digits, '.', '_' and '-'). A worker writes its chunk's
 * lines here and transfers the bytes: no rope of hundreds of thousands of small strings to build, flatten, copy
 * to the main thread and encode again when the file is written.
 */
export class AsciiLines {
  #bytes = new Uint8Array(1 << 16);
  #length = 0;

  text(value: string): void {
    if (this.#length + value.length > this.#bytes.length) this.#grow(value.length);
    const bytes = this.#bytes;
    let at = this.#length;
    for (let i = 0; i < value.length; i++) bytes[at++] = value.charCodeAt(i);
    this.#length = at;
  }

  /** A number in JavaScript's shortest round-trip form; NaN as nothing (an empty cell). */
  number(value: number): void {
    if (!Number.isNaN(value)) this.text(String(value));
  }

  comma(): void {
    this.#byte(44);
  }

  endLine(): void {
    this.#byte(10);
  }

  /** The bytes written, as a view on the buffer (transferable with it). */
  bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  #byte(code: number): void {
    if (this.#length === this.#bytes.length) this.#grow(1);
    this.#bytes[this.#length++] = code;
  }

  #grow(needed: number): void {
    const grown = new Uint8Array(Math.max(2 * this.#bytes.length, this.#length + needed));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }
}
