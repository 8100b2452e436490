/**
 * Errors the rules raise. Plain TypeScript: the GraphQL layer turns a `DomainError` into a
 * GraphQL error whose `extensions.code` is `code` and whose `extensions.field` is `field`.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHENTICATED';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Input path of the offending value, e.g. `input.birthDate` */
    readonly field?: string,
    /** The DOMAIN.md rule that refused, e.g. `R-D3` */
    readonly rule?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, field?: string, rule?: string) => new DomainError('BAD_USER_INPUT', message, field, rule);
export const notFound = (what: string, id: string, field?: string) => new DomainError('NOT_FOUND', `${what} ${id} not found`, field);
export const conflict = (message: string, rule?: string, field?: string) => new DomainError('CONFLICT', message, field, rule);
export const forbidden = (message: string, rule?: string, field?: string) => new DomainError('FORBIDDEN', message, field, rule);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Input checks shared by every domain: each throws BAD_USER_INPUT naming the field. */
export const check = {
  uuid(value: string, field: string): string {
    if (typeof value !== 'string' || !UUID_RE.test(value)) throw badInput(`${field} must be a UUID`, field);
    return value.toLowerCase();
  },
  text(value: string, field: string, opts: { min?: number; max: number }): string {
    const v = typeof value === 'string' ? value.trim() : '';
    const min = opts.min ?? 1;
    if (v.length < min) throw badInput(`${field} must have at least ${min} character(s)`, field);
    if (v.length > opts.max) throw badInput(`${field} must have at most ${opts.max} characters`, field);
    return v;
  },
  optionalText(value: string | null | undefined, field: string, opts: { max: number }): string | undefined {
    if (value === null || value === undefined || value.trim() === '') return undefined;
    return check.text(value, field, { min: 1, max: opts.max });
  },
  date(value: string, field: string): string {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw badInput(`${field} must be a date YYYY-MM-DD`, field);
    const d = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw badInput(`${field} is not a calendar date`, field);
    return value;
  },
  oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
    if (!allowed.includes(value as T)) throw badInput(`${field} must be one of ${allowed.join(', ')}`, field);
    return value as T;
  },
  intRange(value: number, field: string, min: number, max: number): number {
    if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${field} must be an integer from ${min} to ${max}`, field);
    return value;
  },
};
