import type { FastifyError } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { principalOf } from '../../http/auth.js';
import { IdParams } from '../../http/common.schemas.js';
import { problemResponses } from '../../http/problem.js';
import { Customer } from '../customers/index.js';
import { imageTooLarge, MAX_IMAGE_BYTES, unsupported, UPLOAD_MEDIA_TYPES } from './image.process.js';
import { ImageResponse, ImageUploadBody } from './image.schemas.js';
import { getCustomerImage, putCustomerImage, removeCustomerImage } from './image.service.js';

const errors = problemResponses(400, 401, 403, 404, 422);
const tags = ['Customers'];

/** Served only to staff and keys of the brand: kept out of shared caches, never sniffed as another type. */
const SERVED_IMAGE_HEADERS = {
  'cache-control': 'private, max-age=3600',
  'x-content-type-options': 'nosniff',
  'content-disposition': 'inline',
};

export function imageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/customers/:id/image',
      {
        schema: {
          tags,
          operationId: 'getCustomerImage',
          summary: "A customer's image",
          description:
            "The image as stored: WebP, at most 512 × 512 pixels. The customer's `image_url` links here with a " +
            '`v` that changes when the image does, so the answer may be cached privately for an hour.',
          params: IdParams,
          querystring: Type.Object({
            v: Type.Optional(Type.String({ description: "The image's version, from image_url; not checked" })),
          }),
          response: { 200: ImageResponse, ...errors },
        },
      },
      async (request, reply) => {
        const image = await getCustomerImage(ctx, principalOf(request), request.params.id);
        return reply.type(image.contentType).headers(SERVED_IMAGE_HEADERS).send(image.bytes);
      },
    );

    app.delete(
      '/customers/:id/image',
      {
        schema: {
          tags,
          operationId: 'deleteCustomerImage',
          summary: "Remove a customer's image",
          description: '404 `image_not_found` when the customer has none.',
          params: IdParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await removeCustomerImage(ctx, principalOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    await app.register(uploadRoute(ctx));
  };
}

/** PUT in a scope of its own: only there is the body raw image bytes (and up to 2 MiB). */
function uploadRoute(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Image bytes only: JSON, text and form bodies are refused (415), never parsed.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      [...UPLOAD_MEDIA_TYPES],
      { parseAs: 'buffer', bodyLimit: MAX_IMAGE_BYTES },
      (_request, body, done) => done(null, body),
    );
    // JSON Schema cannot check a Buffer: the body's schemas document it, and the parser above made it.
    const compile = app.validatorCompiler!;
    app.setValidatorCompiler((route) => (route.httpPart === 'body' ? (body) => Buffer.isBuffer(body) : compile(route)));
    // Fastify's own refusals, as this API's problems (the parent handler writes them).
    app.setErrorHandler((error: FastifyError) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw imageTooLarge();
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        throw unsupported(
          'Send the image as the raw body with Content-Type image/png, image/jpeg or image/webp ' +
            '(or application/octet-stream); multipart forms, JSON and text are not accepted',
        );
      }
      throw error;
    });

    app.put(
      '/customers/:id/image',
      {
        bodyLimit: MAX_IMAGE_BYTES,
        schema: {
          tags,
          operationId: 'putCustomerImage',
          summary: "Set or replace a customer's image",
          description:
            'The image (PNG, JPEG or WebP, at most 2 MiB) is the raw body. Its type is read from the bytes: 415 ' +
            '`unsupported_media_type` for anything else, or when the Content-Type names another image type. It is ' +
            're-encoded as WebP (the stored and served type, whatever was sent), turned upright by its EXIF ' +
            'orientation, shrunk to fit 512 × 512 pixels, and keeps no metadata (EXIF, GPS, ICC). 422 for an image ' +
            'that cannot be decoded or has more than 25 million pixels; 413 `payload_too_large` over 2 MiB. ' +
            'Answers the customer with its new `image_url`.',
          params: IdParams,
          body: ImageUploadBody,
          response: { 200: Customer, ...errors, ...problemResponses(413, 415) },
        },
      },
      async (request) =>
        putCustomerImage(ctx, principalOf(request), request.params.id, {
          bytes: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          declaredType: request.headers['content-type']?.split(';')[0]?.trim().toLowerCase(),
        }),
    );
  };
}
