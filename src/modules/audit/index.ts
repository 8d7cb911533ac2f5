/** The audit log: what services record, and its API. */
export {
  AUDIT_ACTIONS,
  SYSTEM_MERCHANT_ID,
  actorOf,
  recordAudit,
  type AuditAction,
  type AuditActor,
  type AuditEvent,
} from './audit.service.js';
export { auditRoutes } from './audit.routes.js';
