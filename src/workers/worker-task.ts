import { parentPort } from 'node:worker_threads';

export interface TaskRequest<Task> {
  id: number;
  task: Task;
}

export type TaskReply<Result> = { id: number; result: Result; error?: undefined } | { id: number; error: string };

/** Inside a worker module: answers the pool's tasks one at a time with `handle`. */
export function serveTasks<Task, Result>(handle: (task: Task) => Result): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs inside a worker thread');
  port.on('message', ({ id, task }: TaskRequest<Task>) => {
    let reply: TaskReply<Result>;
    try {
      reply = { id, result: handle(task) };
    } catch (error) {
      // Only the message: a task's input may hold personal data, and an error's own fields could carry it.
      reply = { id, error: error instanceof Error ? error.message : 'task failed' };
    }
    port.postMessage(reply);
  });
}
