import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@cdp/devkit';
import { launchPlatform, type RunningPlatform } from '../src/platform';

/** The whole platform as processes on free ports, in a temporary data folder (end-to-end tests). */
export async function launchTestPlatform(label: string, env: Record<string, string> = {}): Promise<{ platform: RunningPlatform; dataDir: string; cleanUp(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `cdp-${label}-`));
  const platform = await launchPlatform({
    dataDir,
    gatewayPort: await freePort(),
    servicePorts: { membership: await freePort(), deliberation: await freePort(), disclosure: await freePort(), evaluation: await freePort() },
    kafkaPort: await freePort(),
    mokapiPort: await freePort(),
    env: { LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn', RELAY_INTERVAL_MS: '50', ...env },
  });
  return {
    platform,
    dataDir,
    async cleanUp() {
      await platform.stop();
      if (!process.env.KEEP_E2E_DATA) rmSync(dataDir, { recursive: true, force: true });
      else process.stdout.write(`e2e data kept in ${dataDir}\n`);
    },
  };
}
