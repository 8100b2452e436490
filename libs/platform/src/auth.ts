import { timingSafeEqual } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { ROLES, type Actor } from '@cdp/util';

/**
 * Identity. Callers send `Authorization: Bearer <JWT>`; every subgraph (and the gateway)
 * verifies it with `jose`: RS256/ES256 against a JWKS URL in production, HS256 with a
 * development secret otherwise, so `npm start` works offline. Claims: `sub`, `roles`,
 * `communities`, `street`, `district`.
 */
export const DEV_AUTH_SECRET = 'development-only-secret-of-the-community-platform';
/** Shared secret the gateway adds to every subgraph request (header `x-gateway-secret`). */
export const DEV_GATEWAY_SECRET = 'development-only-gateway-secret';
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

export interface AuthOptions {
  /** production: the identity provider's JWKS (RS256 / ES256) */
  jwksUrl?: string;
  /** development: HS256 secret */
  devSecret?: string;
  issuer?: string;
  audience?: string;
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(100),
  roles: z.array(z.enum(ROLES)).min(1),
  communities: z.array(z.uuid()).max(500).default([]),
  street: z.string().min(1).max(100).optional(),
  district: z.uuid().optional(),
});

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Actor | null>;

/** Returns the caller for an Authorization header (null when there is none); throws UNAUTHENTICATED when it is bad. */
export function createTokenVerifier(opts: AuthOptions): TokenVerifier {
  const remote: JWTVerifyGetKey | null = opts.jwksUrl ? createRemoteJWKSet(new URL(opts.jwksUrl)) : null;
  const secret = new TextEncoder().encode(opts.devSecret ?? DEV_AUTH_SECRET);
  const algorithms = remote ? ['RS256', 'ES256'] : ['HS256'];
  return async (authorization) => {
    if (authorization === undefined || authorization === '') return null;
    const m = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/.exec(authorization.trim());
    if (!m) throw unauthenticated('malformed Authorization header: expected "Bearer <JWT>"');
    let payload: unknown;
    try {
      const verifyOpts = { algorithms, issuer: opts.issuer, audience: opts.audience };
      payload = remote ? (await jwtVerify(m[1]!, remote, verifyOpts)).payload : (await jwtVerify(m[1]!, secret, verifyOpts)).payload;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw unauthenticated('token expired');
      throw unauthenticated('invalid token');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated(`token claims invalid: ${claims.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return claims.data;
  };
}

/** Signs a development token (HS256). Never used in production mode. */
export async function signDevToken(claims: Actor, opts: { secret?: string; ttlSeconds?: number; issuer?: string; audience?: string } = {}): Promise<string> {
  let jwt = new SignJWT({ roles: claims.roles, communities: claims.communities, ...(claims.street ? { street: claims.street } : {}), ...(claims.district ? { district: claims.district } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (opts.ttlSeconds ?? 8 * 3600));
  if (opts.issuer) jwt = jwt.setIssuer(opts.issuer);
  if (opts.audience) jwt = jwt.setAudience(opts.audience);
  return jwt.sign(new TextEncoder().encode(opts.secret ?? DEV_AUTH_SECRET));
}

/** Constant-time comparison of the gateway credential. */
export function gatewaySecretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
