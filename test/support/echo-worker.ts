import { serveTasks } from '../../src/workers/worker-task.js';

/** A worker module for the pool's tests: echoes, fails, or dies on request. */
export type EchoTask = { kind: 'echo'; text: string } | { kind: 'fail' } | { kind: 'exit' };

serveTasks((task: EchoTask) => {
  if (task.kind === 'fail') throw new Error('failed on purpose');
  if (task.kind === 'exit') process.exit(3);
  return task.text.toUpperCase();
});
