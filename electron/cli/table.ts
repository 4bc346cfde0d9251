/** Rows for people: columns padded to line up on a terminal, two spaces between fields elsewhere (stable for scripts). */
export function formatTable(header: string[], rows: string[][], tty = process.stdout.isTTY === true): string {
  const all = [header, ...rows];
  if (!tty) return `${all.map((row) => row.join('  ')).join('\n')}\n`;
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]): string => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  return `${all.map(line).join('\n')}\n`;
}

/** A listing as pretty JSON, for `--json`. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
