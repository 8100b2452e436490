/** evaluation subgraph: read config, build the service, listen. Everything else lives in libs/evaluation. */
import { loadServiceConfig, runService } from '@cdp/platform';
import { evaluationModule } from '@cdp/evaluation-service';

void runService(evaluationModule, () =>
  loadServiceConfig({ PORT: '4004', DATABASE_URL: 'sqlite:.data/evaluation.sqlite', KAFKA_CLIENT_ID: 'evaluation' }),
);
