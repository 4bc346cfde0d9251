/**
 * A search snippet with its matches marked. The hub puts `[[` and `]]` around each matched word; the text is
 * split on them and rendered as text (never as HTML), the matches inside `<mark>`, all in one run of inline
 * text so a match sits in its sentence. The class is the search's own: `.snippet` is the token view's
 * flex row, and a flex container lays each piece of text out as a column.
 */
import { Fragment, memo } from 'react';

const OPEN = '[[';
const CLOSE = ']]';

export interface SnippetPart {
  text: string;
  match: boolean;
}

export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let rest = snippet;
  while (rest !== '') {
    const open = rest.indexOf(OPEN);
    const close = open < 0 ? -1 : rest.indexOf(CLOSE, open + OPEN.length);
    if (open < 0 || close < 0) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), match: false });
    parts.push({ text: rest.slice(open + OPEN.length, close), match: true });
    rest = rest.slice(close + CLOSE.length);
  }
  return parts;
}

export const SnippetText = memo(function SnippetText({ snippet }: { snippet: string }) {
  return (
    <span className="search-snippet">
      {splitSnippet(snippet).map((part, index) => (part.match ? <mark key={index}>{part.text}</mark> : <Fragment key={index}>{part.text}</Fragment>))}
    </span>
  );
});
