import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../errors.js';
import { EXIF_MARKER, GPS_MARKER, pngDeclaring, sampleImage } from '../../../test/support/images.js';
import { MAX_IMAGE_BYTES, processImage, sniffImageType } from './image.process.js';

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('processImage: what is kept of an upload', () => {
  it.each(['png', 'jpeg', 'webp'] as const)(
    're-encodes %s as WebP within 512 × 512, keeping the aspect',
    async (format) => {
      const processed = await processImage(await sampleImage(format, { width: 1600, height: 900 }), `image/${format}`);
      expect(processed).toMatchObject({ contentType: 'image/webp', width: 512, height: 288 });
      const meta = await sharp(processed.bytes).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: 512, height: 288 });
    },
  );

  it('drops EXIF, GPS, ICC and XMP: not in the metadata, not in the bytes', async () => {
    const original = await sampleImage('jpeg');
    const before = await sharp(original).metadata();
    // The upload does carry them: a GPS IFD (tag 0x8825 points to it) with the marker, and an ICC profile.
    expect(before.exif?.includes(Buffer.from(GPS_MARKER))).toBe(true);
    expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    expect(original.includes(Buffer.from(EXIF_MARKER))).toBe(true);

    const { bytes } = await processImage(original, 'image/jpeg');
    const after = await sharp(bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.hasProfile).toBe(false);
    for (const marker of [GPS_MARKER, EXIF_MARKER, 'Exif', 'EXIF', 'ICCP', 'XMP ']) {
      expect(bytes.includes(Buffer.from(marker)), marker).toBe(false);
    }
  });

  it('turns the picture upright by its EXIF orientation before dropping it', async () => {
    // Orientation 6: stored landscape, shown rotated a quarter turn, so portrait.
    const processed = await processImage(await sampleImage('jpeg', { orientation: 6 }), 'image/jpeg');
    expect(processed).toMatchObject({ width: 384, height: 512 });
    expect((await sharp(processed.bytes).metadata()).orientation).toBeUndefined();
  });

  it('never enlarges a small image, and keeps transparency', async () => {
    const processed = await processImage(await sampleImage('png', { width: 40, height: 30, alpha: true }), undefined);
    expect(processed).toMatchObject({ width: 40, height: 30 });
    expect((await sharp(processed.bytes).metadata()).hasAlpha).toBe(true);
  });

  it('decides the type from the bytes: application/octet-stream and no type at all are fine', async () => {
    const png = await sampleImage('png');
    expect(sniffImageType(png)).toBe('image/png');
    expect((await processImage(png, 'application/octet-stream')).contentType).toBe('image/webp');
    expect((await processImage(png, undefined)).contentType).toBe('image/webp');
  });
});

describe('processImage: what is refused', () => {
  it('refuses bytes of another type, naming what they are (415)', async () => {
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    const cases: Array<[Buffer, RegExp]> = [
      [gif, /a GIF image/],
      [Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'), /an SVG image/],
      [Buffer.from('%PDF-1.7\n%âãÏÓ\n'), /a PDF document/],
      [Buffer.from('Just some notes about the customer.\n'), /text/],
      [Buffer.from([0x00, 0x01, 0x02, 0x03]), /another type/],
    ];
    for (const [bytes, what] of cases) {
      const error = await refusal(processImage(bytes, 'image/png'));
      expect(error.code).toBe('unsupported_media_type');
      expect(error.message).toMatch(what);
      expect(error.message).toMatch(/not a PNG, JPEG or WebP image/);
    }
  });

  it('refuses image bytes sent under another image type: a lie (415)', async () => {
    const error = await refusal(processImage(await sampleImage('png'), 'image/jpeg'));
    expect(error.code).toBe('unsupported_media_type');
    expect(error.message).toBe(
      'The body is PNG but was sent as image/jpeg: send it as image/png (or application/octet-stream)',
    );
  });

  it('refuses a decompression bomb from its header, before decoding (422)', async () => {
    const bomb = pngDeclaring(20_000, 20_000);
    expect(bomb.length).toBeLessThan(100_000);
    const error = await refusal(processImage(bomb, 'image/png'));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('body: is 20000 × 20000 pixels; at most 25,000,000 pixels are accepted');
  });

  it('refuses a corrupt or cut-short image (422)', async () => {
    const jpeg = await sampleImage('jpeg');
    const cut = await refusal(processImage(jpeg.subarray(0, 1500), 'image/jpeg'));
    expect(cut).toMatchObject({
      code: 'validation_failed',
      message: 'body: is not a readable JPEG image (corrupt or cut short)',
    });
    const garbage = Buffer.concat([jpeg.subarray(0, 3), Buffer.alloc(500, 0x41)]);
    expect((await refusal(processImage(garbage, undefined))).code).toBe('validation_failed');
  });

  it('refuses an empty body (422) and one over 2 MiB (413)', async () => {
    expect((await refusal(processImage(Buffer.alloc(0), 'image/png'))).code).toBe('validation_failed');
    const big = Buffer.concat([await sampleImage('png'), Buffer.alloc(MAX_IMAGE_BYTES)]);
    expect((await refusal(processImage(big, 'image/png'))).code).toBe('payload_too_large');
  });
});
