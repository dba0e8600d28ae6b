import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@hdp/platform';
import { readMedTechFixture } from '../../test-fixtures/fixture-files';
import { heartRate } from '../../test-fixtures/pipeline-harness';
import { TemplateLoadError } from '../errors/template-load.error';
import { DeviceMappingsProvider, TEMPLATE_CHECK_INTERVAL_MS } from './device-mappings.provider';
import { IngestMetrics } from './ingest-metrics';

const renamedHeartRate = readMedTechFixture('basic_devicecontent.json').replace(
  '"typeName": "heartrate"',
  '"typeName": "pulse"',
);
const brokenHeartRate = readMedTechFixture('basic_devicecontent.json').replace(
  '"typeMatchExpression": "$..[?(@heartrate)]"',
  '"typeMatchExpression": "$..[?(@heartrate)]", "colour": "red"',
);

function provider() {
  const dir = mkdtempSync(join(tmpdir(), 'hdp-templates-'));
  const device = join(dir, 'device.json');
  writeFileSync(device, readMedTechFixture('basic_devicecontent.json'));
  writeFileSync(join(dir, 'fhir.json'), readMedTechFixture('basic_fhirmapping.json'));
  const config = loadConfig({
    MONGODB_URI: 'mongodb://127.0.0.1:1/unused',
    DEVICE_TEMPLATES_PATH: device,
    FHIR_TEMPLATES_PATH: join(dir, 'fhir.json'),
  });
  const reloads: string[] = [];
  const metrics = {
    templatesReloaded: (outcome: string) => reloads.push(outcome),
  } as unknown as IngestMetrics;
  const sut = new DeviceMappingsProvider(config, metrics);
  return { sut, reloads, replaceDevice: (text: string) => writeFileSync(device, text) };
}

const typeOf = (sut: DeviceMappingsProvider) => sut.current().normalize(heartRate(1))[0]?.type;

async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 50) {
    if (waited > TEMPLATE_CHECK_INTERVAL_MS * 10) throw new Error('the template file change was not noticed');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe(DeviceMappingsProvider.name, () => {
  it.each([
    ['takes a replaced template file without a restart', renamedHeartRate, 'accepted', 'pulse'],
    [
      'rejects a bad replacement, counts it and keeps the templates in force',
      brokenHeartRate,
      'rejected',
      'heartrate',
    ],
  ])('%s', async (_, replacement, outcome, typeAfter) => {
    const { sut, reloads, replaceDevice } = provider();
    sut.onModuleInit();
    try {
      expect(typeOf(sut)).toBe('heartrate');
      // The watcher's first look at the file is asynchronous: replace it only once that has been taken.
      await new Promise((resolve) => setTimeout(resolve, TEMPLATE_CHECK_INTERVAL_MS));
      replaceDevice(replacement);
      await until(() => reloads.length > 0);

      expect(reloads).toEqual([outcome]);
      expect(typeOf(sut)).toBe(typeAfter);
    } finally {
      sut.onModuleDestroy();
    }
  });

  it('throws the template errors to an explicit reload, and still keeps the templates in force', () => {
    const { sut, reloads, replaceDevice } = provider();
    expect(typeOf(sut)).toBe('heartrate');
    replaceDevice(brokenHeartRate);

    expect(() => sut.reload()).toThrow(TemplateLoadError);
    expect(reloads).toEqual(['rejected']);
    expect(typeOf(sut)).toBe('heartrate');
  });

  it('logs where the device and FHIR templates do not fit, and still takes them', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { sut, reloads, replaceDevice } = provider();
    replaceDevice(renamedHeartRate);

    sut.reload();

    expect(reloads).toEqual(['accepted']);
    expect(warn).toHaveBeenCalledWith(
      {
        warnings: [
          {
            path: '$.template[0].template.typeName',
            message: expect.stringContaining('No FHIR template maps the type [pulse].') as string,
          },
        ],
      },
      'The device and FHIR templates do not fit',
    );
    warn.mockRestore();
  });
});
