/** The LOINC system URL. */
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';

/** One value a patient reports: its LOINC code, its one UCUM unit and the range a real reading lies in. */
export interface ReportedValue {
  readonly code: string;
  readonly display: string;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  /** The key it is stored under for summaries (`samples.<key>`): a fixed name, never caller input. */
  readonly sample: string;
}

/** A measurement patients may record: one value, or components (blood pressure's systolic and diastolic). */
export interface ReportedMeasurement {
  readonly code: string;
  readonly display: string;
  readonly value?: ReportedValue;
  readonly components?: readonly ReportedValue[];
}

const SYSTOLIC: ReportedValue = {
  code: '8480-6',
  display: 'Systolic blood pressure',
  unit: 'mm[Hg]',
  min: 40,
  max: 300,
  sample: 'systolic',
};
const DIASTOLIC: ReportedValue = {
  code: '8462-4',
  display: 'Diastolic blood pressure',
  unit: 'mm[Hg]',
  min: 20,
  max: 200,
  sample: 'diastolic',
};

const single = (value: ReportedValue): ReportedMeasurement => ({
  code: value.code,
  display: value.display,
  value,
});

/** What patients may record, by LOINC code. */
export const MEASUREMENTS: ReadonlyMap<string, ReportedMeasurement> = new Map(
  [
    single({ code: '29463-7', display: 'Body weight', unit: 'kg', min: 0.5, max: 500, sample: 'weight' }),
    single({
      code: '15074-8',
      display: 'Glucose [Moles/volume] in Blood',
      unit: 'mmol/L',
      min: 0.5,
      max: 60,
      sample: 'glucoseMmol',
    }),
    single({
      code: '2339-0',
      display: 'Glucose [Mass/volume] in Blood',
      unit: 'mg/dL',
      min: 10,
      max: 1000,
      sample: 'glucoseMass',
    }),
    single({
      code: '55423-8',
      display: 'Number of steps in unspecified time Pedometer',
      unit: '{steps}',
      min: 0,
      max: 200_000,
      integer: true,
      sample: 'steps',
    }),
    { code: '85354-9', display: 'Blood pressure panel', components: [SYSTOLIC, DIASTOLIC] },
  ].map((measurement) => [measurement.code, measurement]),
);

/** Every value a summary can be asked for, by LOINC code (blood pressure by its components' codes). */
export const SUMMARISED_VALUES: ReadonlyMap<string, ReportedValue> = new Map(
  [...MEASUREMENTS.values()]
    .flatMap((measurement) => measurement.components ?? [measurement.value!])
    .map((value) => [value.code, value]),
);
