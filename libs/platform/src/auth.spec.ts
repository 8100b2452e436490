import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { GraphQLError } from 'graphql';
import { createTokenVerifier, signDevToken } from './auth';

const claims = { roles: ['STAFF'], communities: ['7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11'] };
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return e instanceof GraphQLError ? String(e.extensions.code) : 'OTHER';
  }
};

describe('R-AUTH token verification', () => {
  let server: Server;
  let jwksUrl: string;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    // the identity provider's JWKS endpoint
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const sign = (alg: 'RS256' | 'ES256', key: CryptoKey | Uint8Array, kid: string, exp = '1h') =>
    new SignJWT(claims).setProtectedHeader({ alg, kid }).setSubject('u1').setIssuer('https://idp.example.gov.cn').setAudience('community-platform').setIssuedAt().setExpirationTime(exp).sign(key as CryptoKey);

  it('production: RS256 and ES256 tokens are verified against the JWKS URL, with issuer and audience', async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer: 'https://idp.example.gov.cn', audience: 'community-platform' });
    expect(await verify(`Bearer ${await sign('RS256', rsa.privateKey, 'rsa-1')}`)).toMatchObject({ sub: 'u1', roles: ['STAFF'] });
    expect(await verify(`Bearer ${await sign('ES256', ec.privateKey, 'ec-1')}`)).toMatchObject({ sub: 'u1' });
    // a key that is not in the JWKS, an expired token, a development (HS256) token
    const stranger = await generateKeyPair('RS256');
    expect(await codeOf(verify(`Bearer ${await sign('RS256', stranger.privateKey, 'rsa-1')}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verify(`Bearer ${await sign('RS256', rsa.privateKey, 'rsa-1', '-1m')}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verify(`Bearer ${await signDevToken({ sub: 'u1', roles: ['STAFF'], communities: [] })}`))).toBe('UNAUTHENTICATED');
    // wrong audience
    const other = createTokenVerifier({ jwksUrl, audience: 'another-system' });
    expect(await codeOf(other(`Bearer ${await sign('RS256', rsa.privateKey, 'rsa-1')}`))).toBe('UNAUTHENTICATED');
  });

  it('development: HS256 with the development secret; no header is anonymous; bad claims are refused', async () => {
    const verify = createTokenVerifier({});
    expect(await verify(undefined)).toBeNull();
    expect(await verify(`Bearer ${await signDevToken({ sub: 'c', roles: ['COMMITTEE'], communities: [] })}`)).toMatchObject({ sub: 'c', roles: ['COMMITTEE'] });
    const badRole = await new SignJWT({ roles: ['EMPEROR'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(new TextEncoder().encode('development-only-secret-of-the-community-platform'));
    expect(await codeOf(verify(`Bearer ${badRole}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verify('Token abc'))).toBe('UNAUTHENTICATED');
  });
});
