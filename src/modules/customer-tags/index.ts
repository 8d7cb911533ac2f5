/**
 * Customer tags: a brand's labels (name, colour; not personal data) and who has them. The public
 * face: app.ts registers the routes, bulk actions tag and untag many customers, a merge moves tags.
 */
export { customerTagRoutes } from './customer-tag.routes.js';
export { createTag, deleteTag, listTags, MAX_TAGS_PER_BRAND, requireTag, updateTag } from './customer-tag.service.js';
export {
  tagCustomer,
  tagCustomers,
  untagCustomer,
  untagCustomers,
  type TagOutcome,
  type TagRefusal,
  type TagRefusalCode,
} from './customer-tag-link.service.js';
export { moveCustomerTags } from './customer-tag-link.repository.js';
export {
  CustomerTag,
  CustomerTagList,
  TAG_COLORS,
  type CustomerTagListView,
  type CustomerTagView,
  type TagColor,
} from './customer-tag.schemas.js';
export type { CustomerTagLinkTable, CustomerTagTable } from './customer-tag.table.js';
