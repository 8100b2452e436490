import { breakingChanges, type JsonSchema } from './compat';

const v1: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    count: { type: 'integer' },
    status: { type: 'string', enum: ['ADOPTED', 'REJECTED'] },
    note: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['id', 'count', 'status', 'tags'],
};
const clone = (): JsonSchema => JSON.parse(JSON.stringify(v1)) as JsonSchema;

describe('contract compatibility (a .vN topic never breaks its subscribers)', () => {
  it('an identical schema, a new optional field or a new enum value is compatible', () => {
    expect(breakingChanges(v1, clone())).toEqual([]);
    const more = clone();
    more.properties!.extra = { type: 'boolean' };
    (more.properties!.status!.enum as string[]).push('WITHDRAWN');
    expect(breakingChanges(v1, more)).toEqual([]);
  });

  it('a removed field is breaking', () => {
    const s = clone();
    delete s.properties!.count;
    s.required = s.required!.filter((r) => r !== 'count');
    expect(breakingChanges(v1, s)).toEqual(['$.count: field removed']);
  });

  it('a retyped field is breaking (type, format, enum narrowed, array items)', () => {
    const s = clone();
    s.properties!.count = { type: 'string' };
    s.properties!.id = { type: 'string' };
    s.properties!.status!.enum = ['ADOPTED'];
    s.properties!.tags!.items = { type: 'integer' };
    expect(breakingChanges(v1, s)).toEqual([
      '$.id: format changed from uuid to none',
      '$.count: type changed from "integer" to "string"',
      '$.status: enum values removed: "REJECTED"',
      '$.tags[]: type changed from "string" to "integer"',
    ]);
  });

  it('a new required field, or a required field made optional, is breaking', () => {
    const s = clone();
    s.properties!.when = { type: 'string' };
    s.required = [...s.required!.filter((r) => r !== 'status'), 'when'];
    expect(breakingChanges(v1, s)).toEqual(['$.status: required field made optional', '$.when: new required field']);
  });
});
