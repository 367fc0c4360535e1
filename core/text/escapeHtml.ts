/**
 * Text made safe for HTML and SVG markup. Every string a report or a diagram
 * prints that came from a project or a lab file (node ids, names, answers) goes
 * through here: it is someone's free text and must never become markup.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` safe inside element content and quoted attributes (HTML and SVG alike). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
