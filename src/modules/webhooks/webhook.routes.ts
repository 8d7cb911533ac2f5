import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams, PageQuery } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { listWebhookDeliveries, resendWebhookDelivery, sendTestWebhook } from './webhook-delivery.service.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpointOf,
  getWebhookEndpoint,
  listWebhookEndpointsOf,
  rotateWebhookSecret,
  updateWebhookEndpointOf,
} from './webhook-endpoint.service.js';
import { getEvent, listEvents } from './webhook-event.service.js';
import {
  DeliveryListQuery,
  EndpointDeliveryParams,
  EventListQuery,
  SecretRotationBody,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointCreateBody,
  WebhookEndpointList,
  WebhookEndpointUpdateBody,
  WebhookEndpointWithSecret,
  WebhookEvent,
  WebhookEventList,
} from './webhook.schemas.js';

const errors = problemResponses(400, 401, 403, 404, 422);
const tags = ['Webhooks'];

const DELIVERY_TEXT =
  'Each event is sent as a POST of its JSON body, signed per the Standard Webhooks specification (webhook-id, ' +
  'webhook-timestamp, webhook-signature: HMAC-SHA256 with the endpoint secret). At least once: a receiver ' +
  'dedupes by webhook-id. Any 2xx is success; anything else, a timeout (10 s) or a redirect (never followed) ' +
  'is retried after 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 12 h, 18 h and 24 h (about three days). ' +
  'An endpoint failing for 60 hours without a success is turned off (disabled_reason: failing). Events are ' +
  'not sent in order; use created_at and the object itself.';

/** Webhook endpoints, their deliveries, and the brand's events (owners and admins). */
export function webhookRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/webhook-endpoints',
      {
        schema: {
          tags,
          operationId: 'listWebhookEndpoints',
          summary: "The brand's webhook endpoints, newest first (no secrets)",
          querystring: Type.Object(PageQuery, { additionalProperties: false }),
          response: { 200: WebhookEndpointList, ...errors },
        },
      },
      async (request) => listWebhookEndpointsOf(ctx, principalOf(request), request.query),
    );

    app.post(
      '/webhook-endpoints',
      {
        schema: {
          tags,
          operationId: 'createWebhookEndpoint',
          summary: 'Add a webhook endpoint',
          description: `The signing secret is in this response only. ${DELIVERY_TEXT}`,
          body: WebhookEndpointCreateBody,
          response: { 201: WebhookEndpointWithSecret, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createWebhookEndpoint(ctx, principalOf(request), request.body, request.ip)),
    );

    app.get(
      '/webhook-endpoints/:id',
      {
        schema: {
          tags,
          operationId: 'getWebhookEndpoint',
          summary: 'A webhook endpoint',
          params: IdParams,
          response: { 200: WebhookEndpoint, ...errors },
        },
      },
      async (request) => getWebhookEndpoint(ctx, principalOf(request), request.params.id),
    );

    app.patch(
      '/webhook-endpoints/:id',
      {
        schema: {
          tags,
          operationId: 'updateWebhookEndpoint',
          summary: 'Change, turn off or turn on a webhook endpoint',
          description:
            'Deliveries due while it is off wait; turning it on sends them. Turning on a failing endpoint starts its failure count afresh.',
          params: IdParams,
          body: WebhookEndpointUpdateBody,
          response: { 200: WebhookEndpoint, ...errors },
        },
      },
      async (request) =>
        updateWebhookEndpointOf(ctx, principalOf(request), request.params.id, request.body, request.ip),
    );

    app.delete(
      '/webhook-endpoints/:id',
      {
        schema: {
          tags,
          operationId: 'deleteWebhookEndpoint',
          summary: 'Remove a webhook endpoint and its deliveries',
          params: IdParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await deleteWebhookEndpointOf(ctx, principalOf(request), request.params.id, request.ip);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/webhook-endpoints/:id/rotate-secret',
      {
        schema: {
          tags,
          operationId: 'rotateWebhookSecret',
          summary: 'A new signing secret; the old one keeps signing during the overlap',
          description:
            'During the overlap (24 h unless overlap_hours says otherwise) webhook-signature carries two signatures, one per secret, so a receiver holding either accepts.',
          params: IdParams,
          body: SecretRotationBody,
          response: { 200: WebhookEndpointWithSecret, ...errors },
        },
        // The body is optional (no body: a 24-hour overlap).
        preValidation: (request, _reply, done) => {
          request.body ??= {};
          done();
        },
      },
      async (request) => rotateWebhookSecret(ctx, principalOf(request), request.params.id, request.body, request.ip),
    );

    app.post(
      '/webhook-endpoints/:id/test',
      {
        schema: {
          tags,
          operationId: 'sendTestWebhook',
          summary: 'Send a webhook_endpoint.test event to this endpoint',
          params: IdParams,
          response: { 202: WebhookDelivery, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(202).send(await sendTestWebhook(ctx, principalOf(request), request.params.id)),
    );

    app.get(
      '/webhook-endpoints/:id/deliveries',
      {
        schema: {
          tags,
          operationId: 'listWebhookDeliveries',
          summary: "An endpoint's deliveries, newest first, each with its last attempt",
          params: IdParams,
          querystring: DeliveryListQuery,
          response: { 200: WebhookDeliveryList, ...errors },
        },
      },
      async (request) => listWebhookDeliveries(ctx, principalOf(request), request.params.id, request.query),
    );

    app.post(
      '/webhook-endpoints/:id/deliveries/:delivery/resend',
      {
        schema: {
          tags,
          operationId: 'resendWebhookDelivery',
          summary: 'Send a delivery again now (the same event, with the same id)',
          params: EndpointDeliveryParams,
          response: { 202: WebhookDelivery, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .code(202)
          .send(await resendWebhookDelivery(ctx, principalOf(request), request.params.id, request.params.delivery)),
    );

    app.get(
      '/events',
      {
        schema: {
          tags,
          operationId: 'listEvents',
          summary: "The brand's events, newest first",
          description:
            'Every change webhooks announce, whether or not an endpoint asked for it. Objects are rendered as your role sees them now.',
          querystring: EventListQuery,
          response: { 200: WebhookEventList, ...errors },
        },
      },
      async (request) => listEvents(ctx, principalOf(request), request.query),
    );

    app.get(
      '/events/:id',
      {
        schema: {
          tags,
          operationId: 'getEvent',
          summary: 'An event',
          params: IdParams,
          response: { 200: WebhookEvent, ...errors },
        },
      },
      async (request) => getEvent(ctx, principalOf(request), request.params.id),
    );
  };
}
