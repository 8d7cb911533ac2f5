/** Staff accounts, memberships and sessions: sign-in, CSRF, staff management. */
export { authenticateSession, type StaffSession } from './session.service.js';
export { CSRF_HEADER, SESSION_COOKIE, csrfTokenMatches } from './session.tokens.js';
export { ensureOwnerAccount } from './staff.service.js';
export { insertMembership, listMembershipsOfStaff } from './staff.repository.js';
export { SIGN_IN_LIMITS, SignInThrottle, type ThrottleLimits } from './sign-in-throttle.js';
export { sessionRoutes } from './session.routes.js';
export { staffRoutes } from './staff.routes.js';
export { invitationPublicRoutes } from './staff-invitation.public.routes.js';
export { passwordResetPublicRoutes, passwordResetRoutes } from './staff-password-reset.routes.js';
