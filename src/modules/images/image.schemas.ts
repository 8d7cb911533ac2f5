import { STORED_IMAGE_TYPE, UPLOAD_MEDIA_TYPES } from './image.process.js';

/*
 * The image travels as raw bytes, which JSON Schema describes only as a binary string: these schemas
 * document the body and the answer in the OpenAPI document; the routes check the body themselves.
 */

const Binary = { type: 'string', format: 'binary' } as const;

/** PUT body: the image itself, PNG, JPEG or WebP (or application/octet-stream: the bytes decide). */
export const ImageUploadBody = {
  content: Object.fromEntries(UPLOAD_MEDIA_TYPES.map((type) => [type, { schema: Binary }])),
};

/** GET 200: the stored image, always WebP. */
export const ImageResponse = {
  description: 'The image (WebP, re-encoded on upload)',
  content: { [STORED_IMAGE_TYPE]: { schema: Binary } },
};
