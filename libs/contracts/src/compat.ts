import { z } from 'zod';
import type { EventContract } from './define';

/** JSON Schema of a contract's payload, as released and as compared (no `$schema`). */
export function payloadJsonSchema(c: EventContract): JsonSchema {
  const out = z.toJSONSchema(c.schema, { target: 'draft-7', io: 'output' }) as JsonSchema;
  delete out.$schema;
  return out;
}

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  pattern?: string;
  [k: string]: unknown;
}

/**
 * Changes to a released `.vN` payload schema that would break a subscriber (or a consumer
 * reading older events during a replay):
 *  - a field removed, or made optional (consumers relied on it);
 *  - a field retyped (type, format or pattern changed, `const` changed, enum values removed);
 *  - a new required field (older events in the topic do not have it).
 * Adding an optional field or an enum value is compatible: consumers must ignore unknown fields
 * and tolerate unknown enum values (the README says so).
 */
export function breakingChanges(released: JsonSchema, current: JsonSchema, path = '$'): string[] {
  const out: string[] = [];
  const typeOf = (s: JsonSchema) => JSON.stringify(s.type ?? null);
  if (typeOf(released) !== typeOf(current)) out.push(`${path}: type changed from ${typeOf(released)} to ${typeOf(current)}`);
  if ((released.format ?? null) !== (current.format ?? null)) out.push(`${path}: format changed from ${released.format ?? 'none'} to ${current.format ?? 'none'}`);
  if ((released.pattern ?? null) !== (current.pattern ?? null) && current.pattern !== undefined) out.push(`${path}: pattern changed`);
  if (JSON.stringify(released.const) !== JSON.stringify(current.const)) out.push(`${path}: const changed`);
  if (released.enum || current.enum) {
    const now = new Set((current.enum ?? []).map((v) => JSON.stringify(v)));
    const removed = (released.enum ?? []).filter((v) => !now.has(JSON.stringify(v)));
    if (!current.enum && released.enum) {
      // widening to any value of the type is compatible for readers
    } else if (!released.enum && current.enum) out.push(`${path}: restricted to an enum`);
    else if (removed.length) out.push(`${path}: enum values removed: ${removed.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  const rp = released.properties ?? {};
  const cp = current.properties ?? {};
  const rr = new Set(released.required ?? []);
  const cr = new Set(current.required ?? []);
  for (const [name, schema] of Object.entries(rp)) {
    const p = `${path}.${name}`;
    if (!(name in cp)) {
      out.push(`${p}: field removed`);
      continue;
    }
    if (rr.has(name) && !cr.has(name)) out.push(`${p}: required field made optional`);
    out.push(...breakingChanges(schema, cp[name]!, p));
  }
  for (const name of cr) if (!rr.has(name)) out.push(`${path}.${name}: new required field`);
  if (released.items && current.items) out.push(...breakingChanges(released.items, current.items, `${path}[]`));
  return out;
}
