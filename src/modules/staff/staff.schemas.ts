import { Type, type Static } from '@sinclair/typebox';
import { SingleLineText } from '../../http/common.schemas.js';
import { type Permission, type Role, ROLE_PERMISSIONS, ROLES } from '../access/index.js';

const RoleSchema = Type.Unsafe<Role>(Type.String({ enum: [...ROLES], description: 'Role in the brand' }));
const PermissionSchema = Type.Unsafe<Permission>(
  Type.String({ enum: [...new Set(Object.values(ROLE_PERMISSIONS).flat())].sort() }),
);

export const SignInBody = Type.Object(
  {
    email: SingleLineText({ maxLength: 320 }),
    password: Type.String({ maxLength: 4096 }),
  },
  { additionalProperties: false, examples: [{ email: 'owner@paydesk.example', password: 'W1-rAGGS47ucpBs5bFiB' }] },
);

export const SessionView = Type.Object(
  {
    object: Type.Literal('session'),
    staff: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
    brands: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        role: RoleSchema,
        permissions: Type.Array(PermissionSchema, {
          description: 'What the role may do in this brand (README "Roles"); the server checks every call itself',
        }),
      }),
    ),

    active_brand_id: Type.Union([Type.String(), Type.Null()], { description: 'The brand every /api/v1 call acts on' }),
    csrf_token: Type.String({
      description: 'Send it as X-CSRF-Token on every POST, PUT, PATCH and DELETE made with the session cookie',
    }),
  },
  { title: 'Session' },
);

export const ActiveBrandBody = Type.Object(
  { brand_id: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);

export const PasswordChangeBody = Type.Object(
  {
    current_password: Type.String({ maxLength: 4096 }),
    new_password: Type.String({ maxLength: 4096, description: 'At least 12 characters' }),
  },
  { additionalProperties: false },
);

export const StaffMember = Type.Object(
  {
    object: Type.Literal('staff'),
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    added_at: Type.String({ format: 'date-time', description: 'When the person joined this brand' }),
  },
  { title: 'StaffMember' },
);

export const StaffList = Type.Object(
  { object: Type.Literal('list'), data: Type.Array(StaffMember) },
  { title: 'StaffList' },
);

export const StaffUpdateBody = Type.Object({ role: RoleSchema }, { additionalProperties: false });

export const StaffIdParams = Type.Object({ id: Type.String() });

export type SessionViewType = Static<typeof SessionView>;
export type StaffMemberView = Static<typeof StaffMember>;
