import { Type, type Static } from '@sinclair/typebox';
import { ROLES } from '../access/index.js';

const Role = Type.Union(
  ROLES.map((role) => Type.Literal(role)),
  { description: 'The key\'s role; it may not grant more than the caller\'s own (README "Roles")' },
);

export const ApiKey = Type.Object(
  {
    id: Type.String({ examples: ['key_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('api_key'),
    name: Type.String(),
    role: Role,
    hint: Type.String({ description: "The token's last four characters" }),
    created_at: Type.String({ format: 'date-time' }),
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'To the minute' }),
    revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'ApiKey' },
);
/** A key as GET /api-keys shows it: never the token or its hash. */
export type ApiKeyView = Static<typeof ApiKey>;

export const NewApiKey = Type.Intersect(
  [
    ApiKey,
    Type.Object({ token: Type.String({ description: 'The secret, shown only in this response; stored hashed' }) }),
  ],
  { title: 'NewApiKey' },
);
export type NewApiKeyView = Static<typeof NewApiKey>;

export const ApiKeyList = Type.Object(
  { object: Type.Literal('list'), data: Type.Array(ApiKey) },
  { title: 'ApiKeyList' },
);
export type ApiKeyListView = Static<typeof ApiKeyList>;

export const ApiKeyCreateBody = Type.Object(
  {
    name: Type.String({
      maxLength: 1000,
      description: 'What the key is for, 1–100 characters',
      examples: ['Shop backend'],
    }),
    role: Role,
  },
  { additionalProperties: false },
);
export type ApiKeyCreateBody = Static<typeof ApiKeyCreateBody>;

export const ApiKeyIdParams = Type.Object({ id: Type.String() });
