import { describe, expect, it } from 'vitest';
import { checkWebhookTarget, classifyAddress, WebhookTargetRefused, type TargetRefusal } from './webhook-target.js';

describe('classifyAddress', () => {
  it.each<[string, 'ok' | 'private_address' | 'forbidden_address']>([
    ['8.8.8.8', 'ok'],
    ['2606:4700::1', 'ok'],
    ['127.0.0.1', 'private_address'],
    ['127.8.9.10', 'private_address'],
    ['::1', 'private_address'],
    ['10.1.2.3', 'private_address'],
    ['172.16.0.1', 'private_address'],
    ['172.31.255.255', 'private_address'],
    ['192.168.1.1', 'private_address'],
    ['fc00::1', 'private_address'],
    ['fd12:3456::1', 'private_address'],
    ['::ffff:127.0.0.1', 'private_address'],
    ['::ffff:7f00:1', 'private_address'],
    ['100.64.0.1', 'private_address'],
    ['169.254.169.254', 'forbidden_address'],
    ['169.254.0.1', 'forbidden_address'],
    ['fd00:ec2::254', 'forbidden_address'],
    ['fd00:ec2::253', 'forbidden_address'],
    ['100.100.100.200', 'forbidden_address'],
    ['192.0.0.192', 'forbidden_address'],
    ['fe80::1', 'forbidden_address'],
    ['febf::1', 'forbidden_address'],
    ['fe80::1%eth0', 'forbidden_address'],
    ['0.0.0.0', 'forbidden_address'],
    ['0.1.2.3', 'forbidden_address'],
    ['::', 'forbidden_address'],
    ['::ffff:169.254.169.254', 'forbidden_address'],
    ['::ffff:a9fe:a9fe', 'forbidden_address'],
    ['::ffff:0.0.0.0', 'forbidden_address'],
    ['64:ff9b::a9fe:a9fe', 'forbidden_address'],
    ['64:ff9b::7f00:1', 'private_address'],
    ['64:ff9b::808:808', 'ok'],
    ['64:ff9b:1::1', 'forbidden_address'],
    ['2002:a9fe:a9fe::1', 'forbidden_address'],
    ['2002:7f00:1::1', 'private_address'],
    ['2002:808:808::1', 'ok'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'forbidden_address'],
    ['::127.0.0.1', 'forbidden_address'],
    ['224.0.0.1', 'forbidden_address'],
    ['239.255.255.250', 'forbidden_address'],
    ['ff02::1', 'forbidden_address'],
    ['255.255.255.255', 'forbidden_address'],
    ['240.0.0.1', 'forbidden_address'],
    ['192.0.2.1', 'forbidden_address'],
    ['2001:db8::1', 'forbidden_address'],
    ['4000::1', 'forbidden_address'],
    ['127.1', 'forbidden_address'],
    ['010.0.0.1', 'forbidden_address'],
    ['::7f00:1', 'forbidden_address'],
    ['0x7f.0.0.1', 'forbidden_address'],
    ['example.com', 'forbidden_address'],
    ['', 'forbidden_address'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address, false)).toBe(expected);
    // allowPrivate lets loopback and private networks through, and nothing else.
    expect(classifyAddress(address, true)).toBe(expected === 'private_address' ? 'ok' : expected);
  });
});

const addresses: Record<string, string[]> = {
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'split.example.com': ['93.184.215.14', '10.0.0.5'],
  'lan.example.com': ['192.168.1.20'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped-metadata.example.com': ['93.184.215.14', '::ffff:169.254.169.254'],
  'empty.example.com': [],
};

async function resolve(host: string): Promise<string[]> {
  const found = addresses[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
}

async function refusal(url: string, allowPrivate: boolean): Promise<TargetRefusal | 'accepted'> {
  try {
    await checkWebhookTarget(url, { allowPrivate, resolve });
    return 'accepted';
  } catch (error) {
    if (error instanceof WebhookTargetRefused) return error.reason;
    throw error;
  }
}

describe('checkWebhookTarget', () => {
  it('accepts a public https URL and returns it parsed', async () => {
    const url = await checkWebhookTarget('https://hooks.example.com/paydesk?x=1', { allowPrivate: false, resolve });
    expect(url.href).toBe('https://hooks.example.com/paydesk?x=1');
  });

  it.each<[string, boolean, TargetRefusal | 'accepted']>([
    // Scheme: https only, plain http only to a private address when private targets are allowed.
    ['http://hooks.example.com/', false, 'not_https'],
    ['http://hooks.example.com/', true, 'not_https'],
    ['http://lan.example.com/', false, 'not_https'],
    ['http://lan.example.com/', true, 'accepted'],
    ['http://127.0.0.1:8080/', true, 'accepted'],
    ['http://8.8.8.8/', true, 'not_https'],
    ['ftp://hooks.example.com/', true, 'not_https'],
    ['file:///etc/passwd', true, 'not_https'],
    // Every address of the host counts, not just the first.
    ['https://split.example.com/', false, 'private_address'],
    ['https://split.example.com/', true, 'accepted'],
    ['https://lan.example.com/', false, 'private_address'],
    ['https://127.0.0.1/', false, 'private_address'],
    ['https://[::1]/', false, 'private_address'],
    ['https://[::ffff:127.0.0.1]/', false, 'private_address'],
    // Metadata and link-local: never, even with allowPrivate.
    ['https://metadata.example.com/', true, 'forbidden_address'],
    ['https://mapped-metadata.example.com/', true, 'forbidden_address'],
    ['https://169.254.169.254/latest/meta-data/', true, 'forbidden_address'],
    ['https://[fd00:ec2::254]/', true, 'forbidden_address'],
    ['https://[::ffff:a9fe:a9fe]/', true, 'forbidden_address'],
    ['https://0x7f.0.0.1/', false, 'private_address'], // the URL parser normalises it to 127.0.0.1
    ['https://0/', true, 'forbidden_address'], // 0.0.0.0
    ['https://[fe80::1%25eth0]/', true, 'invalid_url'],
    // Credentials, garbage, names that do not resolve.
    ['https://user:pass@hooks.example.com/', false, 'credentials_in_url'],
    ['https://user@hooks.example.com/', false, 'credentials_in_url'],
    ['not a url', false, 'invalid_url'],
    ['hooks.example.com/path', false, 'invalid_url'],
    ['https://', false, 'invalid_url'],
    [`https://hooks.example.com/${'a'.repeat(3000)}`, false, 'invalid_url'],
    ['https://nowhere.example.com/', false, 'unresolvable'],
    ['https://empty.example.com/', false, 'unresolvable'],
  ])('%s (allowPrivate %s) → %s', async (url, allowPrivate, expected) => {
    expect(await refusal(url, allowPrivate)).toBe(expected);
  });

  it('refuses with a message that does not echo the URL (it may carry a secret token)', async () => {
    const error = await checkWebhookTarget('https://metadata.example.com/secret-token', {
      allowPrivate: true,
      resolve,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookTargetRefused);
    expect((error as Error).message).not.toContain('secret-token');
    expect((error as Error).message).not.toContain('metadata.example.com');
  });

  it('resolves with the system resolver by default: localhost is loopback', async () => {
    expect(await checkWebhookTarget('https://localhost/', { allowPrivate: true })).toBeInstanceOf(URL);
    await expect(checkWebhookTarget('https://localhost/', { allowPrivate: false })).rejects.toMatchObject({
      reason: 'private_address',
    });
  });
});
