/**
 * The person's search text as an FTS5 query that cannot be a syntax error: every word becomes a quoted
 * phrase (quotes inside doubled), so operators, column filters and brackets are only text; a word
 * ending in `*` is a prefix. All words must match.
 */
export function ftsQuery(text: string): string {
  return (
    text
      // NUL separates words too: FTS5's parser would take it for the end of the query, inside an open phrase.
      .split(/[\s\0]+/)
      .filter((word) => word !== '')
      .map((word) => {
        const bare = word.replace(/\*+$/, '');
        return `"${bare.replaceAll('"', '""')}"${bare === word ? '' : '*'}`;
      })
      .join(' ')
  );
}
