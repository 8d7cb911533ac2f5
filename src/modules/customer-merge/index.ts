/**
 * Duplicates and merge: suggested pairs of customers that look like one person, and the merge that
 * folds one into the other (moving what every module holds for it). Sits above customers and the
 * modules whose rows move. The public face.
 */
export { customerMergeRoutes } from './merge.routes.js';
export { fillNameIndexes, findDuplicates } from './duplicates.service.js';
export { mergeCustomers } from './merge.service.js';
