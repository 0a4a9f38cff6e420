/** Small display helpers shared by the inspector, the history panel, the CLI and error messages. */

/** Human byte counts (B, KiB, MiB). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Pretty-prints JSON bodies (by content type, or by shape when the server mislabels them); anything else is returned as is. */
export function prettyIfJson(body: string, contentType = ''): string {
  const looksJson = /json/i.test(contentType) || /^\s*[[{]/.test(body);
  if (!looksJson) return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * Text from a server made safe for a terminal: control characters (C0 but tab and newline, DEL, C1)
 * are written as visible escapes (`\x1b`, `\x00`, `\r`), so an answer cannot move the cursor, clear
 * the screen or retitle the window. Only for human output: `--json` keeps the exact text.
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
