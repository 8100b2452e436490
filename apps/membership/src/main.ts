/** membership subgraph: read config, build the service, listen. Everything else lives in libs/membership. */
import { loadServiceConfig, runService } from '@cdp/platform';
import { membershipModule } from '@cdp/membership-service';

void runService(membershipModule, () =>
  loadServiceConfig({ PORT: '4001', DATABASE_URL: 'sqlite:.data/membership.sqlite', KAFKA_CLIENT_ID: 'membership' }),
);
