import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAllowList, isPrivateAddress } from './ssrf.js';

describe('isPrivateAddress', () => {
  const cases: [ip: string, range: string | undefined][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fec0::1', 'private'],
    ['64:ff9b:1::a', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['192.0.2.1', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['2001::1', 'reserved'],
    ['::a00:1', 'reserved'],
    ['100::1', 'reserved'],
    // IPv4 inside IPv6: mapped (dotted and hex), NAT64, 6to4.
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a00:1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:a00:1::', 'private'],
    ['2002:7f00:1::1', 'loopback'],
    // Not an address at all: refused rather than guessed.
    ['localhost', 'invalid'],
    ['', 'invalid'],
    ['1.2.3', 'invalid'],
    // Public.
    ['8.8.8.8', undefined],
    ['1.1.1.1', undefined],
    ['100.63.255.255', undefined],
    ['100.128.0.0', undefined],
    ['172.15.255.255', undefined],
    ['172.32.0.0', undefined],
    ['198.17.255.255', undefined],
    ['198.20.0.0', undefined],
    ['169.253.255.255', undefined],
    ['2606:4700:4700::1111', undefined],
    ['::ffff:8.8.8.8', undefined],
    ['64:ff9b::808:808', undefined],
    ['2002:808:808::1', undefined],
  ];
  for (const [ip, range] of cases) {
    it(`${ip || '(empty)'} -> ${range ?? 'public'}`, () => assert.equal(isPrivateAddress(ip), range));
  }
});

describe('createAllowList', () => {
  const list = createAllowList(['127.0.0.1', '10.1.0.0/16', 'fd00::/8', 'SMS-Gateway.Internal', '::1']);
  const cases: [host: string, ip: string, allowed: boolean][] = [
    ['anything', '127.0.0.1', true],
    ['anything', '::ffff:127.0.0.1', true],
    ['anything', '127.0.0.2', false],
    ['anything', '10.1.200.3', true],
    ['anything', '10.2.0.1', false],
    ['anything', 'fd00::5', true],
    ['anything', '::1', true],
    ['[::1]', '[::1]', true],
    ['sms-gateway.internal', '10.9.9.9', true],
    ['SMS-GATEWAY.internal.', '192.168.0.4', true],
    ['other.internal', '192.168.0.4', false],
    ['gateway.internal', '10.9.9.9', false],
    ['anything', 'not-an-ip', false],
  ];
  for (const [host, ip, allowed] of cases) {
    it(`${host} at ${ip}: ${allowed ? 'allowed' : 'not allowed'}`, () => assert.equal(list.allows(host, ip), allowed));
  }

  it('allows nothing when empty', () => assert.equal(createAllowList([]).allows('localhost', '127.0.0.1'), false));

  it('refuses entries it cannot read, naming each', () => {
    assert.throws(
      () => createAllowList(['10.0.0.0/33', 'ok.example', 'http://x', '1.2.3.4/8/1', '::1/129']),
      (error: Error) => {
        for (const entry of ['10.0.0.0/33', 'http://x', '1.2.3.4/8/1', '::1/129']) assert.ok(error.message.includes(JSON.stringify(entry)), entry);
        assert.ok(!error.message.includes('ok.example'));
        return true;
      },
    );
  });
});
