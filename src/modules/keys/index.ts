/** Data-key, index-key and master-key rotation (sweeps and jobs), key status. */
export { brandKeyStatus, type BrandKeyStatus, type KeyStatusEntry } from './key-status.service.js';
export { DEFAULT_SETTLE_MS, rotateBrandKey } from './key-rotation.service.js';
export { DEFAULT_BATCH_SIZE } from './key-sweep.js';
export { MasterRotationError, rotateMasterKey, type MasterRotationResult } from './master-rotation.service.js';
export { RotationJobs, type RotationJob } from './key-rotation.jobs.js';
export type { KeyStatusView, RotationJobView } from './key.schemas.js';
export { keyRoutes } from './key.routes.js';
export type { SealedRow, SealedTable } from './sealed-tables.js';
