import { rotationCommand } from './key-rotation.js';

export const keysRotate = rotationCommand({
  name: 'keys rotate',
  purpose: 'data',
  summary:
    'New data key for new writes; re-encrypts every customer under it in batches while the server keeps serving, ' +
    'then destroys the old key once no row uses it. Stopped (Ctrl-C) or crashed, run it again to resume.',
});
