/** A minimal GraphQL-over-HTTP client for tests and scripts (what any dashboard would send). */
export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new Error(`non-JSON answer (${res.status}) from ${url}: ${text.slice(0, 300)}`);
  }
}

/** Like `graphql` but throws on errors and returns `data`. */
export async function graphqlOk<T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<T> {
  const r = await graphql<T>(url, query, variables, headers);
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** The `extensions.code` of the first error, or undefined. */
export function errorCode(r: GraphQLResponse<unknown>): string | undefined {
  return r.errors?.[0]?.extensions?.code as string | undefined;
}
