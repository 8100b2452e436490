import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type express from 'express';

/**
 * The query explorer a browser gets at GET /graphql (outside production): GraphiQL, served from
 * our own node_modules so it works offline. Apollo's default landing page embeds Apollo Sandbox
 * from a CDN, which a government network (or this sandbox) may not reach.
 */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

export const EXPLORER_ASSETS_PATH = '/explorer';

/** Serves the explorer's scripts and style sheet under /explorer/. */
export function mountExplorerAssets(app: express.Express): void {
  for (const [name, { pkg, file, type }] of Object.entries(ASSETS)) {
    // the UMD builds are not in the packages' `exports`: find them next to their package.json
    const path = join(dirname(require.resolve(`${pkg}/package.json`)), file);
    if (!existsSync(path)) throw new Error(`explorer asset missing: ${path} (npm ci)`);
    app.get(`${EXPLORER_ASSETS_PATH}/${name}`, (_req, res) => {
      res.type(type).set('Cache-Control', 'public, max-age=86400').sendFile(path);
    });
  }
}

/** A first query the explorer opens with: public data, no token needed. */
export const EXPLORER_DEFAULT_QUERY = `# 社区民主决策、民主管理 — the federated graph of all communities.
#
# Published notices and adopted resolutions are public: this query needs no token.
# For everything else add a header (Headers tab below), e.g. with a token from
#   npm run token -- --sub clerk-1 --role STAFF --community <community id>
# {"Authorization": "Bearer <token>"}
query PublicDecisions {
  communities {
    id
    name
    resolutions(status: ADOPTED) {
      decidedOn
      votesFor
      attended
      motion { title }
    }
    notices {
      title
      status
      publishedAt
    }
  }
}
`;

function page(endpoint: string): string {
  const config = JSON.stringify({ endpoint, query: EXPLORER_DEFAULT_QUERY }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>社区民主决策 · GraphQL explorer</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="${EXPLORER_ASSETS_PATH}/graphiql.css">
  <style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="explorer">Loading the explorer…</div>
  <script src="${EXPLORER_ASSETS_PATH}/react.js"></script>
  <script src="${EXPLORER_ASSETS_PATH}/react-dom.js"></script>
  <script src="${EXPLORER_ASSETS_PATH}/graphiql.js"></script>
  <script>
    const config = ${config};
    const fetcher = GraphiQL.createFetcher({ url: new URL(config.endpoint, location.href).toString() });
    ReactDOM.createRoot(document.getElementById('explorer')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: config.query, defaultEditorToolsVisibility: 'headers', shouldPersistHeaders: false }),
    );
  </script>
</body>
</html>`;
}

/** Apollo Server plugin: answers a browser's GET /graphql with the explorer page. */
export function explorerLandingPage(endpoint = '/graphql'): ApolloServerPlugin {
  const html = page(endpoint);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
