import { TestDatabase } from '@hdp/testing';
import {
  heartRate,
  ingest,
  PipelineHarness,
  readingsIn,
  startPipeline,
  templateFiles,
} from '../../test-fixtures/pipeline-harness';
import { DeviceIdentityResolver } from './device-identity.resolver';

const HOUR = 3600;

describe(`${DeviceIdentityResolver.name} (DEVICE_IDENTITY_RESOLUTION=Create)`, () => {
  const templates = templateFiles();
  let database: TestDatabase;
  let replicas: PipelineHarness[];

  beforeAll(async () => {
    database = new TestDatabase();
    replicas = [
      await startPipeline(templates.env, undefined, database),
      await startPipeline(templates.env, undefined, database),
    ];
  });
  afterAll(async () => {
    await replicas[1].close(true);
    await replicas[0].close();
  });

  const collection = (name: string) =>
    replicas[0].connection.collection<{ _id: string } & Record<string, unknown>>(name);
  const deadLetterReasons = async () =>
    (await collection('device_dead_letters').find({}).toArray()).map((letter) => letter.reason as string);

  it('two replicas meeting a new device at once create one Device and one Patient, linked, and keep every reading', async () => {
    // Each replica sees its own hour of the device, so they race on the identities, not on one Observation.
    await Promise.all(
      replicas.map((replica, r) =>
        ingest(
          replica.pipelines,
          Array.from({ length: 5 }, (_, i) => heartRate(r * HOUR + i, 70 + i, 'watch-new', 'p-new')),
        ),
      ),
    );

    const devices = await collection('devices').find({}).toArray();
    const patients = await collection('patients').find({}).toArray();
    expect(devices).toHaveLength(1);
    expect(patients).toHaveLength(1);
    expect(patients[0].identifier).toEqual([{ system: 'urn:hdp:patient-id', value: 'p-new' }]);
    expect(devices[0].patientId).toBe(patients[0]._id);
    const stored = await replicas[0].observations();
    expect(stored).toHaveLength(2);
    for (const { resource } of stored) {
      expect(resource.subject).toEqual({ reference: `Patient/${patients[0]._id}` });
      expect(resource.device).toEqual({ reference: `Device/${devices[0]._id}` });
    }
    expect(stored.flatMap(({ resource }) => readingsIn(resource))).toHaveLength(10);
  });

  it('never re-links a device to another patient: the message is a dead letter, and no patient is created for it', async () => {
    const before = await replicas[0].observations();
    await ingest(replicas[1].pipelines, [heartRate(10, 90, 'watch-new', 'p-other')]);

    expect(await deadLetterReasons()).toEqual(['device-linked-elsewhere']);
    expect(await collection('patients').countDocuments({ 'identifier.value': 'p-other' })).toBe(0);
    expect(await replicas[0].observations()).toEqual(before);
  });

  it('dead-letters a message without a patient id, which Create cannot link', async () => {
    const anonymous: Record<string, string> = heartRate(20, 95, 'watch-anonymous');
    delete anonymous.patientid;
    await ingest(replicas[0].pipelines, [anonymous]);

    expect(await deadLetterReasons()).toContain('patient-id-missing');
    expect(await collection('devices').countDocuments()).toBe(1);
  });
});
