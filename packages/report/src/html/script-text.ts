/**
 * JSON that is safe inside an HTML <script> element: `<`, `>` and `&` become \u003c, \u003e and \u0026 (so no
 * `</script>` or `<!--` can end or confuse the element), and U+2028/U+2029 are escaped (line terminators in older
 * JavaScript). JSON.parse reads it back unchanged. Tested in script-text.test.ts.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A library's source for an inline <script>: its source-map comment dropped (the map is not shipped in the page),
 * and any `</script` or `<!--` broken up with a backslash, which leaves strings, regular expressions and comments
 * meaning the same. The bundled vega, vega-lite and vega-embed contain neither today; this keeps it so.
 */
export function inlineScriptSource(source: string): string {
  return source
    .replace(/^\/\/# sourceMappingURL=.*$/gm, "")
    .replace(/<\/(script)/gi, "<\\/$1")
    .replace(/<!--/g, "<\\!--");
}
