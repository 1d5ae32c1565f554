/**
 * The same text as an internalised string, V8's one copy per content. Text parsed from YAML or JSON arrives as a
 * slice of the source (often two-byte), and V8 compares such a string with a literal or a Map key by its
 * characters; two internalised strings compare by identity. The risk checks compare a perpetual's convention and
 * look up its base asset at every step of every path, and those comparisons were about 5 % of a path. A property
 * key is always internalised (an integer-like text becomes an index instead, and is returned as it came).
 */
export function internedString(text: string): string {
  return Object.keys({ [text]: 0 })[0] ?? text;
}
