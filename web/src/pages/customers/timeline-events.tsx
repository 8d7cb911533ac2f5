import type { ReactNode } from 'react';
import { Link } from 'react-router';
import {
  Ban,
  CircleCheck,
  CircleX,
  CreditCard,
  Eraser,
  Eye,
  FileCheck,
  FileText,
  FileX,
  GitMerge,
  ImageOff,
  ImageUp,
  Link2,
  PackageCheck,
  PackageX,
  RefreshCw,
  ShoppingBag,
  StickyNote,
  Tag,
  Undo2,
  Unlink,
  UserRoundPen,
  UserRoundPlus,
  type LucideIcon,
} from 'lucide-react';
import { SUSPENSION_REASON_LABELS } from '../../api/customer-suspension';
import type {
  CustomerEvent,
  CustomerEventKind,
  CustomerEventType,
  CustomerTag,
  SuspensionReason,
} from '../../api/types';
import { formatMoney } from '../../lib/money';
import { sourcePhrase } from './customer-sources';
import { TagChip } from './tags/TagChip';

export const EVENT_KINDS: { value: CustomerEventKind | ''; label: string }[] = [
  { value: '', label: 'All events' },
  { value: 'customer', label: 'Profile changes' },
  { value: 'payment', label: 'Payments' },
  { value: 'refund', label: 'Refunds' },
  { value: 'invoice', label: 'Invoices' },
  { value: 'order', label: 'Orders' },
  { value: 'note', label: 'Notes' },
  { value: 'image', label: 'Image' },
];

type Tone = 'accent' | 'success' | 'danger' | 'warning' | 'neutral';

/** An icon per kind, varied where the type changes the meaning (paid, failed, removed). */
const LOOKS: Record<CustomerEventType, { icon: LucideIcon; tone: Tone }> = {
  'customer.created': { icon: UserRoundPlus, tone: 'accent' },
  'customer.updated': { icon: UserRoundPen, tone: 'accent' },
  'customer.revealed': { icon: Eye, tone: 'warning' },
  'customer.user_linked': { icon: Link2, tone: 'accent' },
  'customer.user_unlinked': { icon: Unlink, tone: 'neutral' },
  'customer.user_suggested': { icon: Link2, tone: 'neutral' },
  'customer.name_synced': { icon: RefreshCw, tone: 'accent' },
  'customer.merged': { icon: GitMerge, tone: 'accent' },
  'customer.merged_into': { icon: GitMerge, tone: 'neutral' },
  'payment.succeeded': { icon: CreditCard, tone: 'success' },
  'payment.failed': { icon: CircleX, tone: 'danger' },
  'refund.created': { icon: Undo2, tone: 'warning' },
  'invoice.issued': { icon: FileText, tone: 'accent' },
  'invoice.paid': { icon: FileCheck, tone: 'success' },
  'invoice.voided': { icon: FileX, tone: 'neutral' },
  'order.created': { icon: ShoppingBag, tone: 'accent' },
  'order.paid': { icon: ShoppingBag, tone: 'success' },
  'order.fulfilled': { icon: PackageCheck, tone: 'success' },
  'order.cancelled': { icon: PackageX, tone: 'neutral' },
  'note.added': { icon: StickyNote, tone: 'accent' },
  'note.edited': { icon: StickyNote, tone: 'accent' },
  'note.deleted': { icon: StickyNote, tone: 'neutral' },
  'image.updated': { icon: ImageUp, tone: 'accent' },
  'image.removed': { icon: ImageOff, tone: 'neutral' },
  'customer.erased': { icon: Eraser, tone: 'danger' },
  'customer.suspended': { icon: Ban, tone: 'danger' },
  'customer.resumed': { icon: CircleCheck, tone: 'success' },
  'customer.tagged': { icon: Tag, tone: 'accent' },
  'customer.untagged': { icon: Tag, tone: 'neutral' },
};

const PAID_VIA: Record<string, string> = {
  payment_link: 'by payment link',
  checkout: 'at a checkout',
  invoice: 'for an invoice',
  order: 'for an order',
};

const LINKED_HOW: Record<string, string> = {
  registration: 'when the account registered',
  verified_email: 'by its verified email',
};

/** What the timeline needs from the rest of the profile to name and link what an event is about. */
export interface EventContext {
  myId: string | undefined;
  orderNumbers: Record<string, string>;
  invoiceNumbers: Record<string, string>;
  canOpenOrders: boolean;
  canOpenPayments: boolean;
  /** The brand's tags by id (events name a tag by its id). */
  tags: Record<string, CustomerTag>;
}

export interface EventView {
  icon: LucideIcon;
  tone: Tone;
  text: ReactNode;
  /** Ids to follow (a transaction), after the time. */
  details?: ReactNode;
}

export function describeEvent(event: CustomerEvent, context: EventContext): EventView {
  const look = LOOKS[event.type] ?? { icon: RefreshCw, tone: 'neutral' };
  const by = actorPhrase(event.actor, context.myId);
  const amount = event.amount ? formatMoney(event.amount) : '';
  const order = event.order && <OrderRef id={event.order} context={context} />;
  const invoice = event.invoice && <InvoiceRef id={event.invoice} context={context} />;
  const user = event.user && <span className="mono">{event.user}</span>;
  const transaction = event.transaction && <TransactionRef id={event.transaction} context={context} />;
  // An event moved here by a merge happened to the other customer: say so, or the survivor reads as created twice.
  const mergedFrom = event.merged_from && (
    <span className="muted">
      {' '}
      · on <CustomerRef id={event.merged_from} /> before the merge
    </span>
  );
  const view = (text: ReactNode, details?: ReactNode): EventView => ({
    ...look,
    text: mergedFrom ? (
      <>
        {text}
        {mergedFrom}
      </>
    ) : (
      text
    ),
    details,
  });

  switch (event.type) {
    case 'customer.created':
      return view(
        <>
          Created {sourcePhrase(event.source)}
          {by}
        </>,
      );
    case 'customer.updated':
      return view(
        <>
          Edited {fieldList(event.fields)}
          {by}
        </>,
      );
    case 'customer.revealed':
      return view(<>Contact details revealed{by}</>);
    case 'customer.user_linked':
      return view(
        <>
          Linked to site account {user}
          {event.how && LINKED_HOW[event.how] ? ` ${LINKED_HOW[event.how]}` : by}
        </>,
      );
    case 'customer.user_unlinked':
      return view(
        <>
          Unlinked from site account {user}
          {by}
        </>,
      );
    case 'customer.user_suggested':
      return view(<>Site account {user} suggested: same email, not verified</>);
    case 'customer.name_synced':
      return view(<>Name updated from site account {user}</>);
    case 'customer.merged':
      return view(
        <>
          Merged with <CustomerRef id={event.customer} />
          {event.fields?.length ? `, taking its ${fieldList(event.fields)}` : ''}
          {by}
        </>,
      );
    case 'customer.merged_into':
      return view(
        <>
          Merged into <CustomerRef id={event.customer} />
          {by}
        </>,
      );
    case 'payment.succeeded':
      return view(
        <>
          Paid {amount} {invoice ? <>for invoice {invoice}</> : (PAID_VIA[event.source ?? ''] ?? '')}
        </>,
        transaction,
      );
    case 'payment.failed':
      return view(<>Payment of {amount} failed</>, transaction);
    case 'refund.created':
      return view(
        <>
          Refunded {amount}
          {by}
        </>,
        transaction,
      );
    case 'invoice.issued':
      return view(
        <>
          Invoice {invoice} issued{by}
        </>,
      );
    case 'invoice.paid':
      return view(<>Invoice {invoice} paid</>, transaction);
    case 'invoice.voided':
      return view(
        <>
          Invoice {invoice} voided{by}
        </>,
      );
    case 'order.created':
      return view(
        <>
          Order {order} placed{by}
        </>,
      );
    case 'order.paid':
      return view(<>Order {order} paid</>, transaction);
    case 'order.fulfilled':
      return view(
        <>
          Order {order} fulfilled{by}
        </>,
      );
    case 'order.cancelled':
      return view(
        <>
          Order {order} cancelled{by}
        </>,
      );
    case 'note.added':
      return view(<>Note added{by}</>);
    case 'note.edited':
      return view(<>Note edited{by}</>);
    case 'note.deleted':
      return view(<>Note deleted{by}</>);
    case 'image.updated':
      return view(<>Image updated{by}</>);
    case 'image.removed':
      return view(<>Image removed{by}</>);
    case 'customer.erased':
      return view(<>Personal data erased{by}</>);
    case 'customer.suspended': {
      const reason = SUSPENSION_REASON_LABELS[event.reason as SuspensionReason] ?? event.reason;
      return view(
        <>
          Suspended{reason ? ` (${reason})` : ''}
          {by}
        </>,
      );
    }
    case 'customer.resumed':
      return view(<>Resumed: may pay again{by}</>);
    case 'customer.tagged':
    case 'customer.untagged': {
      const tag = event.tag ? context.tags[event.tag] : undefined;
      return view(
        <>
          {event.type === 'customer.tagged' ? 'Tagged ' : 'Untagged '}
          {tag ? <TagChip tag={tag} /> : 'with a deleted tag'}
          {by}
        </>,
      );
    }
    default:
      // A type this dashboard does not know yet (a newer server): its name, plainly.
      return view(<>{String(event.type).replace(/[._]/g, ' ')}</>);
  }
}

/** " by Ayesha (staff)"; nothing for what Paydesk did by itself (a payment, a sync). */
function actorPhrase(actor: CustomerEvent['actor'], myId: string | undefined): string {
  switch (actor.type) {
    case 'staff':
      if (!actor.name) return ' by a former staff member';
      return ` by ${actor.name} (${actor.id === myId ? 'you' : 'staff'})`;
    case 'api_key':
      return actor.name ? ` by ${actor.name} (API key)` : ' by a deleted API key';
    case 'cli':
      return ' from the command line';
    default:
      return '';
  }
}

const listFormat = new Intl.ListFormat('en', { type: 'conjunction' });
const FIELD_NAMES: Record<string, string> = { name: 'name', email: 'email', phone: 'phone', metadata: 'metadata' };

function fieldList(fields: string[] | undefined): string {
  if (!fields?.length) return 'the profile';
  return listFormat.format(fields.map((field) => FIELD_NAMES[field] ?? field.replace(/_/g, ' ')));
}

function OrderRef({ id, context }: { id: string; context: EventContext }) {
  const label = context.orderNumbers[id] ?? id;
  const className = label === id ? 'mono' : undefined;
  return context.canOpenOrders ? (
    <Link to={`/orders/${id}`} className={className}>
      {label}
    </Link>
  ) : (
    <span className={className}>{label}</span>
  );
}

/** Invoices have no page of their own: the number links to the list. */
function InvoiceRef({ id, context }: { id: string; context: EventContext }) {
  const label = context.invoiceNumbers[id] ?? id;
  const className = label === id ? 'mono' : undefined;
  return context.canOpenPayments ? (
    <Link to="/invoices" className={className} title={id}>
      {label}
    </Link>
  ) : (
    <span className={className}>{label}</span>
  );
}

/** Transactions have no page of their own either: the id, linking to the list. */
function TransactionRef({ id, context }: { id: string; context: EventContext }) {
  return context.canOpenPayments ? (
    <Link to="/transactions" className="mono" title="Open Transactions">
      {id}
    </Link>
  ) : (
    <span className="mono">{id}</span>
  );
}

/** The other customer of a merge: the merged id's profile leads to its survivor. */
function CustomerRef({ id }: { id: string | undefined }) {
  if (!id) return <>another customer</>;
  return (
    <Link to={`/customers/${encodeURIComponent(id)}`} className="mono">
      {id}
    </Link>
  );
}
