import type {
  Device,
  DeviceDeviceName,
  DeviceProperty,
  DeviceSpecialization,
  DeviceUdiCarrier,
  DeviceVersion,
} from 'fhir/r4';
import {
  ANNOTATION,
  CONCEPT,
  CONTACT_POINT,
  IDENTIFIER,
  META,
  NARRATIVE,
  QUANTITY,
  REFERENCE,
  shapeOf,
} from '../datatype-shapes';

const UDI_CARRIER = shapeOf<DeviceUdiCarrier>({
  deviceIdentifier: true,
  issuer: true,
  jurisdiction: true,
  carrierAIDC: true,
  carrierHRF: true,
  entryType: true,
});
const DEVICE_NAME = shapeOf<DeviceDeviceName>({ name: true, type: true });
const SPECIALIZATION = shapeOf<DeviceSpecialization>({ systemType: CONCEPT, version: true });
const VERSION = shapeOf<DeviceVersion>({ type: CONCEPT, component: IDENTIFIER, value: true });
const PROPERTY = shapeOf<DeviceProperty>({ type: CONCEPT, valueQuantity: [QUANTITY], valueCode: [CONCEPT] });

/**
 * What a Device may carry on this server: every R4 Device element, but no extensions, contained resources
 * or primitive `_element`s. Anything else is refused (422), never dropped.
 */
export const DEVICE_SHAPE = shapeOf<Device>({
  resourceType: true,
  id: true,
  meta: META,
  text: NARRATIVE,
  identifier: [IDENTIFIER],
  definition: REFERENCE,
  udiCarrier: [UDI_CARRIER],
  status: true,
  statusReason: [CONCEPT],
  distinctIdentifier: true,
  manufacturer: true,
  manufactureDate: true,
  expirationDate: true,
  lotNumber: true,
  serialNumber: true,
  deviceName: [DEVICE_NAME],
  modelNumber: true,
  partNumber: true,
  type: CONCEPT,
  specialization: [SPECIALIZATION],
  version: [VERSION],
  property: [PROPERTY],
  patient: REFERENCE,
  owner: REFERENCE,
  contact: [CONTACT_POINT],
  location: REFERENCE,
  url: true,
  note: [ANNOTATION],
  safety: [CONCEPT],
  parent: REFERENCE,
});
