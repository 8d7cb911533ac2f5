import zlib from 'node:zlib';
import sharp from 'sharp';
import type { TestBrand, TestPaydesk } from './harness.js';

/* Images for the customer image tests (src/modules/images), made with sharp itself. */

/** A value written into the test images' GPS block, so its absence can be searched for in bytes. */
export const GPS_MARKER = 'PAYDESK-GPS-MARKER';
export const EXIF_MARKER = 'PAYDESK-EXIF-SECRET';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

/**
 * A solid-colour image carrying EXIF with a GPS block (latitude, longitude, and GPS_MARKER as its
 * map datum), a copyright note and, if asked, an EXIF orientation.
 */
export async function sampleImage(
  format: ImageFormat,
  options: { width?: number; height?: number; orientation?: number; alpha?: boolean } = {},
): Promise<Buffer> {
  const { width = 800, height = 600, orientation, alpha = false } = options;
  let image = sharp({
    create: { width, height, channels: alpha ? 4 : 3, background: alpha ? '#c3333380' : '#c33' },
  })
    .toFormat(format)
    .withExif({
      IFD0: { Copyright: EXIF_MARKER },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '23/1 48/1 3600/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '90/1 24/1 1200/100',
        GPSMapDatum: GPS_MARKER,
      },
    });
  if (orientation !== undefined) image = image.withMetadata({ orientation });
  return image.toBuffer();
}

/**
 * A valid greyscale PNG of width × height one-bit pixels, all black: a few tens of kilobytes that
 * would decode to width × height pixels (a decompression bomb at 20000 × 20000).
 */
export function pngDeclaring(width: number, height: number): Buffer {
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0, then the row's bits
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(1, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale; compression, filter and interlace 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** The image endpoints of one customer, as one caller (an API key) sees them. */
export function imagesApi(paydesk: TestPaydesk, token: string | undefined) {
  const url = (id: string) => `/api/v1/customers/${id}/image`;
  return {
    put: (id: string, bytes: Buffer | string, contentType?: string) =>
      paydesk.request(token, {
        method: 'PUT',
        url: url(id),
        payload: bytes,
        ...(contentType ? { headers: { 'content-type': contentType } } : {}),
      }),
    get: (id: string) => paydesk.request(token, { method: 'GET', url: url(id) }),
    remove: (id: string) => paydesk.request(token, { method: 'DELETE', url: url(id) }),
  };
}

/** What the database holds for the customer's image, read past the application. */
export async function storedImage(paydesk: TestPaydesk, merchantId: string, customerId: string) {
  const [image] = (await paydesk.rawQuery(
    `SELECT image_enc, content_type, width, height, data_key_id, updated_at FROM customer_images
      WHERE merchant_id = $1 AND customer_id = $2`,
    [merchantId, customerId],
  )) as Array<{
    image_enc: Uint8Array;
    content_type: string;
    width: number;
    height: number;
    data_key_id: number;
    updated_at: Date;
  }>;
  const [customer] = await paydesk.rawQuery(
    'SELECT image_updated_at FROM customers WHERE merchant_id = $1 AND id = $2',
    [merchantId, customerId],
  );
  return {
    image: image && { ...image, image_enc: Buffer.from(image.image_enc) },
    imageUpdatedAt: (customer?.image_updated_at ?? null) as Date | null,
  };
}

/** The customer's image.* timeline events, oldest first. */
export async function imageEvents(paydesk: TestPaydesk, brand: TestBrand, customerId: string) {
  return (await paydesk.rawQuery(
    `SELECT type, actor_type, actor_id FROM customer_events
      WHERE merchant_id = $1 AND customer_id = $2 AND type LIKE 'image.%' ORDER BY created_at, id`,
    [brand.id, customerId],
  )) as Array<{ type: string; actor_type: string; actor_id: string }>;
}
