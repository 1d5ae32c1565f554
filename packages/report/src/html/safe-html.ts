/** Markup known to be safe: built by the `html` template, so every interpolated value in it was escaped. */
export class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/** Text for an HTML text node or a quoted attribute value: & < > " ' become character references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`).replace(bidiControls, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);
}

/**
 * Bidirectional controls (embeddings, overrides, isolates, marks): a right-to-left override in a description
 * would show text in an order other than the file's ("Trojan Source"), so the page shows each as [U+202E].
 */
const bidiControls = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export type HtmlValue = SafeHtml | string | number | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof SafeHtml) return value.toString();
  if (typeof value === "number") return escapeHtml(String(value));
  if (typeof value === "string") return escapeHtml(value);
  return value.map(render).join("");
}

/**
 * Tagged template for markup: the literal parts are trusted (they are our source), every interpolated value is
 * escaped unless it is itself SafeHtml, and arrays are joined. A scenario, account or route name can therefore
 * only ever appear as text. Tested with a script-injecting scenario name in report-page.test.ts.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? "";
  values.forEach((value, i) => {
    markup += render(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(markup);
}

/** Markup we wrote ourselves and vouch for (style sheets, our own script). Never pass user text here. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
