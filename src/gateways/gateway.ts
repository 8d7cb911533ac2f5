import type { Money } from '../money/currency.js';

/**
 * What Paydesk needs of a payment provider. A real provider is an adapter implementing this, and
 * nothing else changes: the payment flow (modules/payments) only ever talks to this interface.
 */
export interface PaymentGateway {
  /** Stored on each transaction ("test", "stripe", …). */
  readonly name: string;
  /** Charges a card. Idempotent per `idempotencyKey` (the transaction id) at a real provider. */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<RefundOutcome>;
  /**
   * What became of the charge made with this idempotency key (the transaction id): how a payment
   * left pending by a crash between the charge and its record is settled (payments/settle-pending.ts).
   */
  findCharge(idempotencyKey: string): Promise<ChargeLookup>;
}

export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export interface ChargeRequest {
  idempotencyKey: string;
  amount: Money;
  card: CardDetails;
  description: string;
}

export interface CardSummary {
  brand: string;
  last4: string;
}

export type ChargeOutcome =
  | { outcome: 'succeeded'; reference: string; card: CardSummary }
  /** The card or its bank said no: a client can try another card. */
  | { outcome: 'declined'; reference: string | null; code: string; message: string; card: CardSummary }
  /** The provider could not process it (error, timeout): nothing was charged. */
  | { outcome: 'failed'; reference: string | null; code: string; message: string; card: CardSummary };

export interface RefundRequest {
  idempotencyKey: string;
  /** The charge's gateway reference. */
  chargeReference: string;
  amount: Money;
}

export type RefundOutcome =
  { outcome: 'succeeded'; reference: string } | { outcome: 'failed'; code: string; message: string };

export type ChargeLookup =
  /** Charged and not refunded in full: the payment happened and must be recorded. */
  | { status: 'succeeded'; reference: string }
  /** Charged, then refunded in full (an undo whose record was lost): nothing is owed. */
  | { status: 'refunded'; reference: string }
  /** Declined, failed, or never received: nothing was charged. */
  | { status: 'not_charged' };
