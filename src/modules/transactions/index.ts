/** The ledger: transactions, their lists and refunds. */
export type {
  PaymentMethod,
  TransactionRow,
  TransactionSource,
  TransactionStatus,
  TransactionType,
} from './transaction.table.js';
export { insertOfflinePayment, type OfflinePayment } from './transaction.repository.js';
export { transactionRoutes } from './transaction.routes.js';
export { getTransaction, listCustomerTransactions } from './transaction.queries.js';
export { Transaction } from './transaction.schemas.js';
export { moveCustomerTransactions } from './transaction-merge.repository.js';
