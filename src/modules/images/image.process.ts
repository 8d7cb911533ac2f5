import type { default as Sharp } from 'sharp';
import { DomainError, fieldError } from '../../errors.js';

/*
 * An uploaded image, from untrusted bytes to what is stored: the type is read from the bytes (the
 * name and the Content-Type only have to agree with them), the size is checked before any pixel is
 * decoded, and the pixels are re-encoded, so nothing of the original file (EXIF, GPS, ICC, comments,
 * trailing data) is kept.
 */

/** The most an upload may weigh: 2 MiB. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** The most pixels decoded (a 6000 × 4000 photo passes); more is refused from the header alone. */
export const MAX_INPUT_PIXELS = 25_000_000;
/** Stored images fit within this square, never enlarged. */
export const IMAGE_MAX_SIDE = 512;
/** The one type stored and served. */
export const STORED_IMAGE_TYPE = 'image/webp';

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
/** Content-Types an upload may be sent with: an image type, or none in particular. */
export const UPLOAD_MEDIA_TYPES = [...IMAGE_TYPES, 'application/octet-stream'] as const;

const WEBP_QUALITY = 82;
// Decoding and re-encoding one image takes well under a second; a file that takes longer is refused.
const PROCESS_TIMEOUT_SECONDS = 10;

export interface ProcessedImage {
  bytes: Buffer;
  contentType: typeof STORED_IMAGE_TYPE;
  width: number;
  height: number;
}

/**
 * sharp is imported on the first upload, not at start: loading it (libvips) adds about 30 MB to the
 * RSS of a process (41 → 71 MB for bare node), which a server that never sees an image should not pay.
 */
let sharpLoaded: Promise<typeof Sharp> | undefined;
const loadSharp = (): Promise<typeof Sharp> => (sharpLoaded ??= import('sharp').then((module) => module.default));

/** Checks an upload and re-encodes it; throws 415 (wrong type), 422 (unreadable, too many pixels). */
export async function processImage(bytes: Buffer, declaredType: string | undefined): Promise<ProcessedImage> {
  if (bytes.length === 0) throw fieldError('body', "is empty: send the image's bytes");
  if (bytes.length > MAX_IMAGE_BYTES) throw imageTooLarge();
  const type = sniffImageType(bytes);
  if (type === undefined) {
    throw unsupported(`The body is ${describeBytes(bytes)}, not a PNG, JPEG or WebP image`);
  }
  if (declaredType !== undefined && isImageType(declaredType) && declaredType !== type) {
    throw unsupported(
      `The body is ${FORMAT_NAMES[type]} but was sent as ${declaredType}: send it as ${type} (or application/octet-stream)`,
    );
  }

  const sharp = await loadSharp();
  // The header only: dimensions are checked here, before a pixel is decoded.
  const header = await sharp(bytes, { limitInputPixels: false, failOn: 'error' })
    .metadata()
    .catch(() => {
      throw unreadable(type);
    });
  if (header.format !== FORMAT_OF[type]) throw unreadable(type);
  if (header.width * header.height > MAX_INPUT_PIXELS) {
    throw fieldError(
      'body',
      `is ${header.width} × ${header.height} pixels; at most ${MAX_INPUT_PIXELS.toLocaleString('en')} pixels are accepted`,
    );
  }

  // Without withMetadata/keepExif, sharp writes no EXIF, XMP, IPTC or ICC profile (pixels go to sRGB);
  // autoOrient turns the pixels by the EXIF orientation first, so the picture still stands upright.
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', autoOrient: true })
    .resize(IMAGE_MAX_SIDE, IMAGE_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: WEBP_QUALITY })
    .timeout({ seconds: PROCESS_TIMEOUT_SECONDS })
    .toBuffer({ resolveWithObject: true })
    .catch(() => {
      throw unreadable(type);
    });
  return { bytes: data, contentType: STORED_IMAGE_TYPE, width: info.width, height: info.height };
}

/** The image type the bytes are, by their signature; undefined for anything else. */
export function sniffImageType(bytes: Buffer): ImageType | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, JPEG_SIGNATURE)) return 'image/jpeg';
  if (startsWith(bytes, RIFF) && bytes.subarray(8, 12).equals(WEBP)) return 'image/webp';
  return undefined;
}

export function imageTooLarge(): DomainError {
  return new DomainError(
    'payload_too_large',
    `The image is larger than 2 MiB (${MAX_IMAGE_BYTES} bytes): send a smaller one`,
    { limit_bytes: MAX_IMAGE_BYTES },
  );
}

export function unsupported(detail: string): DomainError {
  return new DomainError('unsupported_media_type', detail, { accepted: [...IMAGE_TYPES] });
}

function isImageType(type: string): type is ImageType {
  return (IMAGE_TYPES as readonly string[]).includes(type);
}

function unreadable(type: ImageType): DomainError {
  return fieldError('body', `is not a readable ${FORMAT_NAMES[type]} image (corrupt or cut short)`);
}

/** What a refused body looks like, for the message: the common mistakes by name. */
function describeBytes(bytes: Buffer): string {
  if (startsWith(bytes, Buffer.from('GIF8'))) return 'a GIF image';
  if (startsWith(bytes, Buffer.from('%PDF'))) return 'a PDF document';
  const text = bytes
    .subarray(0, 512)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('<')) return /<svg[\s>]/i.test(text) ? 'an SVG image' : 'markup (HTML or XML)';
  return isPlainText(bytes.subarray(0, 512)) ? 'text' : 'of another type';
}

/** No control bytes but tab, line feed and carriage return (UTF-8 text passes). */
function isPlainText(sample: Buffer): boolean {
  return sample.every((byte) => byte >= 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);
const RIFF = Buffer.from('RIFF');
const WEBP = Buffer.from('WEBP');
const FORMAT_OF = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' } as const;
const FORMAT_NAMES = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP' } as const;
