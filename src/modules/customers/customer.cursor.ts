import { decodePageCursor, encodePageCursor, type PageCursor } from '../../http/page-cursor.js';

export function encodeCursor(cursor: PageCursor): string {
  return encodePageCursor(cursor);
}

export function decodeCursor(text: string): PageCursor {
  return decodePageCursor(text, 'cus');
}
