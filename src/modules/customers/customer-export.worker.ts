import { serveTasks } from '../../workers/worker-task.js';
import { exportCsvOfRows, type ExportCsvTask } from './customer-export.csv.js';

// A worker thread of the export's pool (customer.export.ts): one batch of the walk in, CSV out.
serveTasks((task: ExportCsvTask) => exportCsvOfRows(task));
