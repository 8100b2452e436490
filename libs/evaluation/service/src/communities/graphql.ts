import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A reference to a community: `{ id }` is all evaluation knows and needs of it. */
export interface CommunityRef {
  id: string;
}

@ObjectType('Community', { description: '社区 — an urban community led by its residents’ committee 居委会. Owned by membership; other services add their fields.' })
@Directive('@key(fields: "id")')
export class CommunityType {
  @Field(() => ID, { description: 'Community id (the Kafka key of every event about it)' })
  id!: string;
}
