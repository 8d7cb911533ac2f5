/** The access request: everything held about one customer, as one audited JSON document. */
export { dataExportRoutes } from './data-export.routes.js';
export { exportCustomerData } from './data-export.service.js';
