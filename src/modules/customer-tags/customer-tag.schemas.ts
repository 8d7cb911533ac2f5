import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Timestamp } from '../../http/common.schemas.js';

// One source for validation, TypeScript types and the OpenAPI document.

/** The closed palette: the dashboard has a swatch for each, so any colour it shows is readable. */
export const TAG_COLORS = ['gray', 'red', 'orange', 'amber', 'green', 'teal', 'blue', 'violet', 'pink'] as const;
export type TagColor = (typeof TAG_COLORS)[number];
export const DEFAULT_TAG_COLOR: TagColor = 'gray';

const TagColorSchema = Type.Union(
  TAG_COLORS.map((c) => Type.Literal(c)),
  {
    description: 'One of the palette: gray, red, orange, amber, green, teal, blue, violet, pink',
    examples: ['violet'],
  },
);

const TagName = Type.String({
  maxLength: 200,
  description:
    'A label staff choose, 1–40 characters, trimmed, inner spaces folded; unique per brand ignoring case. ' +
    'Tag names are not personal data: they are stored in clear and audited (name a group, never a person).',
  examples: ['VIP'],
});

export const CustomerTag = Type.Object(
  {
    id: Type.String({ examples: ['tag_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('customer_tag'),
    name: Type.String({ examples: ['VIP'] }),
    color: TagColorSchema,
    customers: Type.Integer({ description: 'How many customers have this tag (merged ones never do)' }),
    created_at: Timestamp,
  },
  {
    title: 'CustomerTag',
    description: "One of the brand's customer tags. Tag names are labels, not personal data.",
    examples: [
      {
        id: 'tag_06f9h2k1m3n4p5q6r7s8t9v0wx',
        object: 'customer_tag',
        name: 'VIP',
        color: 'violet',
        customers: 42,
        created_at: '2026-11-24T19:22:30.755Z',
      },
    ],
  },
);
export type CustomerTagView = Static<typeof CustomerTag>;

/** Every tag of the brand in one page (a brand has at most MAX_TAGS_PER_BRAND), by name. */
export const CustomerTagList = ListOf(CustomerTag);
export type CustomerTagListView = Static<typeof CustomerTagList>;

export const CustomerTagCreateBody = Type.Object(
  { name: TagName, color: Type.Optional(TagColorSchema) },
  { additionalProperties: false, examples: [{ name: 'VIP', color: 'violet' }] },
);
export type CustomerTagCreateBody = Static<typeof CustomerTagCreateBody>;

export const CustomerTagUpdateBody = Type.Object(
  { name: Type.Optional(TagName), color: Type.Optional(TagColorSchema) },
  { additionalProperties: false, examples: [{ name: 'Wholesale', color: 'teal' }] },
);
export type CustomerTagUpdateBody = Static<typeof CustomerTagUpdateBody>;

export const CustomerTagParams = Type.Object({ id: Type.String() });

/** POST /customers/{id}/tags */
export const TagCustomerBody = Type.Object(
  {
    tag: Type.String({
      maxLength: 100,
      description: 'The tag id (tag_…)',
      examples: ['tag_06f9h2k1m3n4p5q6r7s8t9v0wx'],
    }),
  },
  { additionalProperties: false, examples: [{ tag: 'tag_06f9h2k1m3n4p5q6r7s8t9v0wx' }] },
);
export type TagCustomerBody = Static<typeof TagCustomerBody>;

export const CustomerTagLinkParams = Type.Object({ id: Type.String(), tag: Type.String() });
