import { rotationCommand } from './key-rotation.js';

export const keysRotateIndex = rotationCommand({
  name: 'keys rotate-index',
  purpose: 'index',
  summary: 'Rebuilds the search index (blind indexes, search tokens) under a new index key, the same way.',
});
