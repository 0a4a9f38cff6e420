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
