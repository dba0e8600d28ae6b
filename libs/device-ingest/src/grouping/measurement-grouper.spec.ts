import { instant } from '../../test-fixtures/instant';
import { MeasurementFactory } from '../../test-fixtures/measurement.factory';
import { NormalizationError } from '../errors/normalization.error';
import { MeasurementGrouper, MeasurementGrouperOptions } from './measurement-grouper';
import { PeriodInterval } from './period-interval';

class FakeClock {
  time = 0;
  now(): number {
    return this.time;
  }
}

function grouper(overrides: Partial<MeasurementGrouperOptions> = {}) {
  const clock = new FakeClock();
  const sut = new MeasurementGrouper({
    periodOf: () => PeriodInterval.Hourly,
    maxGroupSize: 100,
    maxAgeMs: 60_000,
    maxBuffered: 1_000,
    clock,
    ...overrides,
  });
  return { sut, clock };
}

describe(MeasurementGrouper.name, () => {
  it('puts readings of one device, patient, type and UTC hour in one group with the hour as its period', () => {
    const { sut } = grouper();
    const first = MeasurementFactory.create({ at: '2024-03-01T10:59:59.999Z' });
    const second = MeasurementFactory.create({ at: '2024-03-01T10:00:00.000Z' });
    const nextHour = MeasurementFactory.create({ at: '2024-03-01T11:00:00.000Z' });
    [first, second, nextHour].forEach((m) => expect(sut.add(m)).toEqual([]));

    expect(sut.flushAll()).toEqual([
      {
        type: 'heartrate',
        deviceId: 'device-1',
        patientId: 'patient-1',
        start: instant('2024-03-01T10:00:00.000Z'),
        end: instant('2024-03-01T10:59:59.9999999Z'),
        measurements: [first, second],
      },
      {
        type: 'heartrate',
        deviceId: 'device-1',
        patientId: 'patient-1',
        start: instant('2024-03-01T11:00:00.000Z'),
        end: instant('2024-03-01T11:59:59.9999999Z'),
        measurements: [nextHour],
      },
    ]);
    expect(sut.buffered).toBe(0);
  });

  it('keeps devices, patients, encounters and types apart', () => {
    const { sut } = grouper();
    const readings = [
      MeasurementFactory.create(),
      MeasurementFactory.create({ deviceId: 'device-2' }),
      MeasurementFactory.create({ patientId: 'patient-2' }),
      MeasurementFactory.create({ encounterId: 'encounter-1' }),
      MeasurementFactory.create({ type: 'spo2' }),
    ];
    readings.forEach((m) => sut.add(m));

    expect(sut.flushAll().map((g) => g.measurements)).toEqual(readings.map((m) => [m]));
  });

  it('groups a whole UTC day for periodInterval 1440', () => {
    const { sut } = grouper({ periodOf: () => PeriodInterval.Daily });
    sut.add(MeasurementFactory.create({ at: '2024-03-01T00:00:00.000Z' }));
    sut.add(MeasurementFactory.create({ at: '2024-03-01T23:59:59.999Z' }));

    const [day, ...others] = sut.flushAll();
    expect(others).toEqual([]);
    expect([day.start, day.end, day.measurements.length]).toEqual([
      instant('2024-03-01T00:00:00.000Z'),
      instant('2024-03-01T23:59:59.9999999Z'),
      2,
    ]);
  });

  it('makes one group per exact timestamp, to the 100 ns tick, for periodInterval 0', () => {
    const { sut } = grouper({ periodOf: () => PeriodInterval.Single });
    sut.add(MeasurementFactory.create({ at: '2019-01-30T22:45:02.6073744Z' }));
    sut.add(MeasurementFactory.create({ at: '2019-01-30T22:45:02.6073744Z', value: '71' }));
    sut.add(MeasurementFactory.create({ at: '2019-01-30T22:45:02.6073745Z' }));
    sut.add(MeasurementFactory.create({ at: '2019-01-30T22:45:02.607Z' }));
    sut.add(MeasurementFactory.create({ at: '2019-01-30T22:45:03.000Z' }));

    expect(
      sut.flushAll().map((g) => [g.start.toISOString(), g.end.toISOString(), g.measurements.length]),
    ).toEqual([
      ['2019-01-30T22:45:02.6073744Z', '2019-01-30T22:45:02.6073744Z', 2],
      ['2019-01-30T22:45:02.6073745Z', '2019-01-30T22:45:02.6073745Z', 1],
      ['2019-01-30T22:45:02.6070000Z', '2019-01-30T22:45:02.6070000Z', 1],
      ['2019-01-30T22:45:03.0000000Z', '2019-01-30T22:45:03.0000000Z', 1],
    ]);
  });

  it('groups by correlation id for periodInterval -1, spanning the readings it holds', () => {
    const { sut } = grouper({ periodOf: () => PeriodInterval.Correlation });
    sut.add(MeasurementFactory.create({ correlationId: 'session-1', at: '2024-03-01T10:30:00.0000000Z' }));
    sut.add(MeasurementFactory.create({ correlationId: 'session-1', at: '2024-03-02T09:00:00.0000000Z' }));
    sut.add(MeasurementFactory.create({ correlationId: 'session-1', at: '2024-03-01T08:00:00.0000000Z' }));
    sut.add(MeasurementFactory.create({ correlationId: 'session-2', at: '2024-03-01T10:30:00.0000000Z' }));

    expect(sut.flushAll().map((g) => [g.correlationId, g.start.toISOString(), g.end.toISOString()])).toEqual([
      ['session-1', '2024-03-01T08:00:00.0000000Z', '2024-03-02T09:00:00.0000000Z'],
      ['session-2', '2024-03-01T10:30:00.0000000Z', '2024-03-01T10:30:00.0000000Z'],
    ]);
  });

  it('rejects a reading without correlation id for a correlation-grouped type', () => {
    const { sut } = grouper({ periodOf: () => PeriodInterval.Correlation });
    expect(() => sut.add(MeasurementFactory.create())).toThrow(
      expect.objectContaining({ constructor: NormalizationError, reason: 'missing-correlation-id' }),
    );
  });

  it('flushes a group as soon as it holds maxGroupSize readings', () => {
    const { sut } = grouper({ maxGroupSize: 2 });
    expect(sut.add(MeasurementFactory.create())).toEqual([]);
    const [full, ...others] = sut.add(MeasurementFactory.create({ value: '72' }));

    expect(others).toEqual([]);
    expect(full.measurements.map((m) => m.properties[0].value)).toEqual(['70', '72']);
    expect(sut.buffered).toBe(0);
  });

  it('opens a fresh group for the next reading after a full one was flushed', () => {
    const { sut } = grouper({ maxGroupSize: 2 });
    sut.add(MeasurementFactory.create());
    sut.add(MeasurementFactory.create({ value: '72' }));
    sut.add(MeasurementFactory.create({ value: '74' }));

    expect(sut.buffered).toBe(1);
    expect(sut.flushAll().map((g) => g.measurements.map((m) => m.properties[0].value))).toEqual([['74']]);
  });

  it('flushes groups once maxAgeMs has passed since their first reading, oldest first', () => {
    const { sut, clock } = grouper({ maxAgeMs: 60_000 });
    sut.add(MeasurementFactory.create({ deviceId: 'early' }));
    clock.time = 30_000;
    sut.add(MeasurementFactory.create({ deviceId: 'late' }));
    clock.time = 59_999;
    expect(sut.flushDue()).toEqual([]);

    clock.time = 60_000;
    expect(sut.flushDue().map((g) => g.deviceId)).toEqual(['early']);
    clock.time = 90_000;
    expect(sut.flushDue().map((g) => g.deviceId)).toEqual(['late']);
    expect(sut.buffered).toBe(0);
  });

  it('never holds more than maxBuffered readings and signals saturation at the cap', () => {
    const { sut } = grouper({ maxBuffered: 2 });
    sut.add(MeasurementFactory.create({ deviceId: 'a' }));
    expect(sut.saturated).toBe(false);
    sut.add(MeasurementFactory.create({ deviceId: 'b' }));
    expect(sut.saturated).toBe(true);

    const pushedOut = sut.add(MeasurementFactory.create({ deviceId: 'c' }));
    expect(pushedOut.map((g) => g.deviceId)).toEqual(['a']);
    expect(sut.buffered).toBe(2);
  });
});
