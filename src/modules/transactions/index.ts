/** The ledger: transactions, their lists and refunds. */
export type { TransactionRow, TransactionSource, TransactionStatus, TransactionType } from './transaction.table.js';
export { transactionRoutes } from './transaction.routes.js';
