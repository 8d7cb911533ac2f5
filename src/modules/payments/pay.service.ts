import { retryOnConnectionLoss } from '../../db/connection-errors.js';
import type { AppContext } from '../../context.js';
import { checkFields, DomainError, fieldError } from '../../errors.js';
import { checkCard, summarizeCard, type CardInput } from '../../gateways/card.js';
import type { ChargeOutcome } from '../../gateways/gateway.js';
import { newId } from '../../ids.js';
import { MAX_AMOUNT_MINOR, type Money } from '../../money/currency.js';
import { convertMinorExact } from '../../money/exchange.js';
import { autoRegisterCustomers } from '../brands/index.js';
import {
  fillMissingPhone,
  linkRegisteredPayer,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  payerCustomer,
  suspendedPayerOf,
} from '../customers/index.js';
import type { TransactionSource } from '../transactions/index.js';
import type { PayableBrand } from './payable.repository.js';
import {
  beginPayment,
  recordPaymentFailure,
  recordPaymentSuccess,
  type PaymentClaim,
  type PaymentCustomer,
  type RecordedSuccess,
} from './payment-record.repository.js';

/** What the client typed on a public pay page. */
export interface PayInput {
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  amount?: number | null | undefined;
  card: CardInput;
}

export interface PayResult {
  status: 'succeeded';
  transaction_id: string;
  amount: Money;
  customer_id: string | null;
}

/** A checkout session, payment link or invoice, resolved and checked, ready to be paid. */
export interface Payable {
  source: TransactionSource;
  brand: PayableBrand;
  amountMinor: number;
  currency: string;
  description: string;
  claim: PaymentClaim;
  paymentLinkId: string | null;
  checkoutSessionId: string | null;
  invoiceId: string | null;
  /** The order a checkout session was made for. */
  orderId: string | null;
  /** An invoice billed to a customer (or an order's): the payment is theirs, whoever types the card. */
  billedCustomerId: string | null;
  /** Says why a refused claim was refused (re-reads the payable and throws). */
  explainRefusedClaim(): Promise<never>;
}

/**
 * Takes a payment, as a sequence of steps that each know how to undo themselves:
 *   1. check the client's input and price it in the base currency, and refuse a suspended
 *      customer's payment (nothing written yet);
 *   2. record the pending transaction, claiming the session or invoice (undo: step 4's failure);
 *   3. charge the card at the gateway;
 *   4. on success record it with the customer and their aggregates in one statement; otherwise
 *      mark the transaction failed and release the claim, so the client can try another card.
 */
export async function takePayment(ctx: AppContext, payable: Payable, input: PayInput): Promise<PayResult> {
  const { brand } = payable;
  const now = ctx.clock();
  const contact = checkPayer(payable, input, now);
  const baseAmountMinor = priceInBase(payable);
  await refuseSuspendedPayer(ctx, payable, contact);

  const transactionId = newId('txn');
  const card = summarizeCard(contact.card.number);
  const claimed = await beginPayment(
    ctx.db,
    {
      merchantId: brand.merchant_id,
      id: transactionId,
      source: payable.source,
      amountMinor: payable.amountMinor,
      currency: payable.currency,
      baseCurrency: brand.base_currency,
      gateway: ctx.gateway.name,
      cardBrand: card.brand,
      cardLast4: card.last4,
      paymentLinkId: payable.paymentLinkId,
      checkoutSessionId: payable.checkoutSessionId,
      invoiceId: payable.invoiceId,
      orderId: payable.orderId,
      now,
    },
    payable.claim,
  );
  if (!claimed) await payable.explainRefusedClaim();

  const outcome = await charge(ctx, payable, transactionId, contact.card);
  if (outcome.outcome !== 'succeeded') {
    await recordPaymentFailure(ctx.db, {
      merchantId: brand.merchant_id,
      transactionId,
      code: outcome.code,
      message: outcome.message,
      gatewayReference: outcome.reference,
      claim: payable.claim,
      now: ctx.clock(),
      customer: await declinedCustomer(ctx, payable, contact),
      source: payable.source,
      amountMinor: payable.amountMinor,
      currency: payable.currency,
    });
    throw new DomainError(outcome.outcome === 'declined' ? 'card_declined' : 'payment_failed', outcome.message, {
      transaction_id: transactionId,
      decline_code: outcome.code,
    });
  }

  let customer: PaymentCustomer;
  let recorded: RecordedSuccess;
  try {
    customer = await paymentCustomer(ctx, payable, contact);
    recorded = await recordPaymentSuccess(ctx.db, {
      merchantId: brand.merchant_id,
      transactionId,
      baseAmountMinor,
      exchangeRate: payable.currency === brand.base_currency ? null : brand.rate,
      gatewayReference: outcome.reference,
      claim: payable.claim,
      source: payable.source,
      amountMinor: payable.amountMinor,
      currency: payable.currency,
      customer,
      orderId: payable.orderId,
      now: ctx.clock(),
    });
  } catch (error) {
    throw await undoCharge(ctx, payable, transactionId, outcome.reference, error);
  }
  const registeredNew = customer.kind === 'register' && recorded.customerId === customer.row.id;
  if (recorded.customerId && !registeredNew && recorded.phoneMissing && contact.phone) {
    // The payment is recorded; a phone that could not be filled in must not turn it into an error.
    await fillMissingPhone(ctx, brand.merchant_id, recorded.customerId, contact.phone).catch((error: unknown) =>
      ctx.logger.error(
        { transactionId, customerId: recorded.customerId, err: error },
        "Could not fill in the customer's missing phone",
      ),
    );
  }
  // The success statement said whether a site user may be the new customer's: most payments skip this.
  if (registeredNew && recorded.mayLinkUser && recorded.customerId && contact.email) {
    const link = { merchantId: brand.merchant_id, customerId: recorded.customerId, email: contact.email, at: now };
    await linkRegisteredPayer(ctx, link).catch((error: unknown) =>
      ctx.logger.error(
        { transactionId, customerId: recorded.customerId, err: error },
        'Could not link the new customer',
      ),
    );
  }
  return {
    status: 'succeeded',
    transaction_id: transactionId,
    amount: { amount: payable.amountMinor, currency: payable.currency },
    customer_id: recorded.customerId,
  };
}

interface CheckedPayer {
  name: string | undefined;
  email: string | undefined;
  phone: string | null;
  card: ReturnType<typeof checkCard>;
}

/** Every field error at once, so the pay form can mark them all. */
function checkPayer(payable: Payable, input: PayInput, now: Date): CheckedPayer {
  const contactRequired = payable.billedCustomerId === null;
  const optional = <T>(value: string | null | undefined, check: (v: string) => T): T | undefined =>
    value == null || value.trim() === '' ? (contactRequired ? check(value ?? '') : undefined) : check(value);
  const [name, email, phone, card] = checkFields(
    () => optional(input.name, (v) => normalizeName(v)),
    () => optional(input.email, (v) => normalizeEmail(v)),
    () =>
      input.phone == null || input.phone.trim() === ''
        ? null
        : normalizePhone(input.phone, payable.brand.brand_country),
    () => checkCard(input.card, now),
    () => {
      if (input.amount != null && input.amount !== payable.amountMinor)
        throw fieldError('amount', 'this payment has a fixed amount');
    },
  );
  return { name, email, phone, card };
}

/** The amount in the brand's base currency at the brand's current rate; refused without one. */
function priceInBase(payable: Payable): number {
  const { brand } = payable;
  if (payable.currency === brand.base_currency) return payable.amountMinor;
  if (brand.rate === null) {
    throw new DomainError(
      'exchange_rate_missing',
      `This brand has no exchange rate from ${payable.currency} to ${brand.base_currency}; the payment was not taken`,
      { currency: payable.currency, base_currency: brand.base_currency },
    );
  }
  const inBase = convertMinorExact(payable.amountMinor, brand.rate, payable.currency, brand.base_currency);
  // Refused before anything is written or charged: a total the ledger could not hold exactly.
  if (inBase > BigInt(MAX_AMOUNT_MINOR)) {
    throw fieldError('amount', `is too large: it would be ${inBase} minor units of ${brand.base_currency}`);
  }
  return Number(inBase);
}

/**
 * Every path that charges a card comes through here, so one check covers payment links, checkouts
 * (an order's included) and invoices: a payment billed to a suspended customer of the brand, or
 * paid with a suspended customer's email, is refused before anything is written or charged. The
 * payer is not told why (nor that the email is known); the brand's staff see the suspension.
 */
async function refuseSuspendedPayer(ctx: AppContext, payable: Payable, payer: CheckedPayer): Promise<void> {
  const { brand } = payable;
  const suspended = await suspendedPayerOf(ctx, brand.merchant_id, {
    customerId: payable.billedCustomerId,
    email: payer.email,
  });
  if (suspended === undefined) return;
  ctx.logger.info(
    { merchantId: brand.merchant_id, customerId: suspended, source: payable.source },
    'Payment refused: the customer is suspended',
  );
  throw new DomainError('payment_refused', `This payment can't be accepted. Please contact ${brand.brand_name}.`);
}

async function charge(
  ctx: AppContext,
  payable: Payable,
  transactionId: string,
  card: CheckedPayer['card'],
): Promise<ChargeOutcome> {
  try {
    return await ctx.gateway.charge({
      idempotencyKey: transactionId,
      amount: { amount: payable.amountMinor, currency: payable.currency },
      card,
      description: payable.description,
    });
  } catch (error) {
    // An adapter that throws has not told us the card was charged: record a failure, and log it.
    ctx.logger.error({ transactionId, gateway: ctx.gateway.name, err: error }, 'Payment gateway error');
    return {
      outcome: 'failed',
      reference: null,
      code: 'gateway_error',
      message: 'The payment provider failed; nothing was charged',
      card: summarizeCard(card.number),
    };
  }
}

/**
 * The charge went through but could not be recorded (the database failed): refund it at the
 * gateway, record the transaction as failed and release the claim, so the client is never charged
 * for a payment Paydesk does not know. If that fails too, the log names what needs a person.
 */
async function undoCharge(
  ctx: AppContext,
  payable: Payable,
  transactionId: string,
  reference: string,
  cause: unknown,
): Promise<unknown> {
  const log = { transactionId, gatewayReference: reference, merchantId: payable.brand.merchant_id };
  ctx.logger.error({ ...log, err: cause }, 'A charged payment could not be recorded; refunding it');
  try {
    const refund = await ctx.gateway.refund({
      idempotencyKey: `${transactionId}_undo`,
      chargeReference: reference,
      amount: { amount: payable.amountMinor, currency: payable.currency },
    });
    if (refund.outcome !== 'succeeded') throw new Error(`refund refused: ${refund.code}`);
    // The lost connection may not be the only one the pool still holds: a fresh one is tried if so.
    await retryOnConnectionLoss(() =>
      recordPaymentFailure(ctx.db, {
        merchantId: payable.brand.merchant_id,
        transactionId,
        code: 'recording_failed',
        message: 'The payment could not be recorded, and the charge was refunded',
        gatewayReference: reference,
        claim: payable.claim,
        now: ctx.clock(),
        // Our failure, not the payer's: nothing for their timeline.
        customer: { kind: 'none' },
        source: payable.source,
        amountMinor: payable.amountMinor,
        currency: payable.currency,
      }),
    );
    return new DomainError('payment_failed', 'The payment could not be completed; the charge was refunded', {
      transaction_id: transactionId,
    });
  } catch (undoError) {
    ctx.logger.fatal(
      { ...log, err: undoError },
      'Charged payment neither recorded nor refunded: reconcile it with the gateway by hand',
    );
    return cause;
  }
}

/** Automatic registration (or matching) of the payer, decided by the brand's setting. */
async function paymentCustomer(ctx: AppContext, payable: Payable, payer: CheckedPayer): Promise<PaymentCustomer> {
  if (payable.billedCustomerId) return { kind: 'known', id: payable.billedCustomerId };
  if (payer.name === undefined || payer.email === undefined) return { kind: 'none' };
  return payerCustomer(ctx, {
    merchantId: payable.brand.merchant_id,
    autoRegister: autoRegisterCustomers({ settings: payable.brand.brand_settings }),
    source: payable.source,
    payer: { name: payer.name, email: payer.email, phone: payer.phone },
  });
}

/** Whose timeline a decline goes on: the billed customer, or the brand's customer with the payer's email. */
async function declinedCustomer(ctx: AppContext, payable: Payable, payer: CheckedPayer): Promise<PaymentCustomer> {
  if (payable.billedCustomerId) return { kind: 'known', id: payable.billedCustomerId };
  if (payer.name === undefined || payer.email === undefined) return { kind: 'none' };
  return payerCustomer(ctx, {
    merchantId: payable.brand.merchant_id,
    autoRegister: false,
    source: payable.source,
    payer: { name: payer.name, email: payer.email, phone: payer.phone },
  });
}
