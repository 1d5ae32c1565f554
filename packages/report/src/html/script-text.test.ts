import { describe, expect, it } from "vitest";
import { escapeHtml, html, trustedHtml } from "./safe-html.js";
import { inlineScriptSource, scriptJson } from "./script-text.js";

describe("escaping for HTML and for inline scripts", () => {
  const attack = "</script><script>alert(1)</script>";

  it("turns markup characters in text into character references", () => {
    expect(escapeHtml(`${attack} & "q" 'a'`)).toBe("&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;q&#34; &#39;a&#39;");
  });

  it("escapes every interpolated value of the html template, but not nested SafeHtml", () => {
    const name = attack;
    const cell = html`<td>${name}</td>`;
    expect(String(html`<tr>${cell}${[1, "<b>"]}</tr>`)).toBe("<tr><td>&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;</td>1&#60;b&#62;</tr>");
    expect(String(html`<p>${trustedHtml("<i>ok</i>")}</p>`)).toBe("<p><i>ok</i></p>");
  });

  it("writes JSON with no character that could close a script element, and reads back unchanged", () => {
    const value = { name: attack, note: "a & b <!-- c -->", separators: "\u2028\u2029" };
    const text = scriptJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toContain("\\u003c/script\\u003e");
    expect(JSON.parse(text)).toEqual(value);
  });

  it("breaks up a closing script tag inside library source without changing what it means", () => {
    const source = 'var s = "</script>"; var r = /<\\/SCRIPT>/; // <!-- x\n//# sourceMappingURL=lib.min.js.map';
    const inlined = inlineScriptSource(source);
    expect(inlined).not.toMatch(/<\/script|<!--|sourceMappingURL/i);
    // The string is the same string once JavaScript reads the escape.
    expect(inlined).toContain('"<\\/script>"');
  });
});
