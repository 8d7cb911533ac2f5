import { serveTasks } from '../../workers/worker-task.js';
import { sealContactsTask, type SealContactsTask } from './customer-seal.batch.js';

// A worker thread of the sealing pool (customer-seal.batch.ts): contacts in, sealed columns out.
serveTasks((task: SealContactsTask) => sealContactsTask(task));
