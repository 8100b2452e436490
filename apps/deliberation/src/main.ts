/** deliberation subgraph: read config, build the service, listen. Everything else lives in libs/deliberation. */
import { loadServiceConfig, runService } from '@cdp/platform';
import { deliberationModule } from '@cdp/deliberation-service';

void runService(deliberationModule, () =>
  loadServiceConfig({ PORT: '4002', DATABASE_URL: 'sqlite:.data/deliberation.sqlite', KAFKA_CLIENT_ID: 'deliberation' }),
);
