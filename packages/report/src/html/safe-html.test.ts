import { describe, expect, it } from "vitest";
import { escapeHtml, html } from "./safe-html.js";

describe("escapeHtml", () => {
  it("turns markup characters into character references", () => {
    expect(escapeHtml(`<script>alert("x") & 'y'</script>`)).toBe("&#60;script&#62;alert(&#34;x&#34;) &#38; &#39;y&#39;&#60;/script&#62;");
  });

  it("shows bidirectional controls instead of letting them reorder the text (Trojan Source)", () => {
    // The file says "carry \u202Eyrrac"; obeyed, the override would show "carry carry". It is shown instead.
    expect(escapeHtml("carry \u202Eyrrac")).toBe("carry [U+202E]yrrac");
    expect(escapeHtml("\u2066a\u2069 \u200F \u061C")).toBe("[U+2066]a[U+2069] [U+200F] [U+061C]");
    expect(html`<p>${"x\u202Dy"}</p>`.toString()).toBe("<p>x[U+202D]y</p>");
  });
});
