import type { ServiceModule } from '@cdp/platform';
import { membershipModule } from '@cdp/membership-service';
import { deliberationModule } from '@cdp/deliberation-service';
import { disclosureModule } from '@cdp/disclosure-service';
import { evaluationModule } from '@cdp/evaluation-service';

/** The four subgraphs, in port order (4001–4004). */
export const SERVICE_MODULES: ServiceModule<any>[] = [membershipModule, deliberationModule, disclosureModule, evaluationModule];
