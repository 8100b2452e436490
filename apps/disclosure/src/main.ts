/** disclosure subgraph: read config, build the service, listen. Everything else lives in libs/disclosure. */
import { loadServiceConfig, runService } from '@cdp/platform';
import { disclosureModule } from '@cdp/disclosure-service';

void runService(disclosureModule, () =>
  loadServiceConfig({ PORT: '4003', DATABASE_URL: 'sqlite:.data/disclosure.sqlite', KAFKA_CLIENT_ID: 'disclosure' }),
);
