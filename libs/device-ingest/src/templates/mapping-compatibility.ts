import { FieldIssue } from '@hdp/platform';
import { CompiledDeviceTemplate } from './device/device-template.types';
import { CodeValueFhirTemplate } from './fhir/fhir-template.types';

/**
 * What MedTech's mapping validator warns about a pair of documents that load but do not fit: a device
 * template whose type no FHIR template maps, and a value name no FHIR value or component takes (its readings
 * would appear in no Observation). Each warning is placed at the device template, and names templates only.
 */
export function mappingWarnings(
  deviceTemplates: readonly CompiledDeviceTemplate[],
  fhirTemplates: ReadonlyMap<string, CodeValueFhirTemplate>,
): FieldIssue[] {
  return deviceTemplates.flatMap((device) => {
    const fhir = fhirTemplates.get(device.typeName);
    if (fhir === undefined) {
      const available = [...fhirTemplates.keys()].join(', ');
      const message = `No FHIR template maps the type [${device.typeName}]. Available FHIR templates: [${available}].`;
      return [{ path: `${device.position}.typeName`, message }];
    }
    const taken = new Set([fhir.value, ...fhir.components.map((c) => c.value)].map((v) => v?.valueName));
    const available = [...taken].join(', ');
    return device.values.flatMap(({ valueName }, index) =>
      taken.has(valueName)
        ? []
        : [
            {
              path: `${device.position}.values[${index}].valueName`,
              message: `The value [${valueName}] is not represented within the FHIR template of type [${device.typeName}]. Available values are: [${available}]. No value will appear inside of Observations.`,
            },
          ],
    );
  });
}
