import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Kind, type FieldNode, type OperationDefinitionNode } from 'graphql';
import type { Actor } from '@cdp/util';
import type { Logger } from './logger';
import type { Em, Orm } from './orm';

/**
 * Append-only audit log of every mutation: who (token subject and roles), what (the mutation),
 * when, which entities (ids from the arguments and the result), and the outcome. Only ids are
 * recorded — never names, texts or the content of a ballot. UPDATE and DELETE are refused by
 * database triggers.
 */
@Entity({ tableName: 'audit_log' })
export class AuditEntry {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'datetime' })
  @Index()
  at!: Date;

  /** token subject, or `anonymous` */
  @Property({ type: 'string', length: 100 })
  actor!: string;

  @Property({ type: 'string', length: 200 })
  roles!: string;

  /** the mutation field, e.g. `approveNotice` */
  @Property({ type: 'string', length: 100 })
  action!: string;

  /** JSON array of the ids involved */
  @Property({ type: 'text' })
  entityIds!: string;

  /** `OK` or the error code */
  @Property({ type: 'string', length: 40 })
  outcome!: string;
}

const ID_KEY = /(^id$|Id$|Ids$)/;

/** Ids among the values of argument/variable objects (keys `id`, `…Id`, `…Ids`); nothing else. */
export function idsIn(value: unknown, out = new Set<string>(), key = ''): Set<string> {
  if (Array.isArray(value)) for (const v of value) idsIn(v, out, key);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) idsIn(v, out, k);
  else if (typeof value === 'string' && ID_KEY.test(key)) out.add(value);
  return out;
}

function argumentValues(field: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const resolve = (node: any): unknown => {
    switch (node.kind) {
      case Kind.VARIABLE:
        return variables[node.name.value];
      case Kind.OBJECT:
        return Object.fromEntries(node.fields.map((f: any) => [f.name.value, resolve(f.value)]));
      case Kind.LIST:
        return node.values.map(resolve);
      case Kind.STRING:
      case Kind.ENUM:
        return node.value;
      default:
        return null;
    }
  };
  return Object.fromEntries((field.arguments ?? []).map((a) => [a.name.value, resolve(a.value)]));
}

export function auditPlugin(orm: Orm, logger: Logger): ApolloServerPlugin<{ actor: Actor | null }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, request, response, contextValue }) {
          const op = operation as OperationDefinitionNode | null | undefined;
          if (!op || op.operation !== 'mutation') return;
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          const rows = op.selectionSet.selections
            .filter((s): s is FieldNode => s.kind === Kind.FIELD)
            .map((field) => {
              const alias = field.alias?.value ?? field.name.value;
              const ids = idsIn(argumentValues(field, (request.variables ?? {}) as Record<string, unknown>));
              const result = (body?.data as Record<string, { id?: unknown } | null> | undefined)?.[alias];
              if (result && typeof result.id === 'string') ids.add(result.id);
              const error = body?.errors?.find((e) => e.path?.[0] === alias);
              return {
                id: randomUUID(),
                at: new Date(),
                actor: contextValue.actor?.sub ?? 'anonymous',
                roles: (contextValue.actor?.roles ?? []).join(','),
                action: field.name.value,
                entityIds: JSON.stringify([...ids]),
                outcome: error ? String(error.extensions?.code ?? 'ERROR') : 'OK',
              };
            });
          try {
            await (orm.em.fork() as Em).insertMany(AuditEntry, rows);
          } catch (e) {
            logger.error({ err: (e as Error).message }, 'could not write the audit log');
          }
        },
      };
    },
  };
}
