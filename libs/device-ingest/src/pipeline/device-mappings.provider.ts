import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@hdp/platform';
import { DeviceMappings } from '../device-mappings';

/** The customer's mapping documents, read from DEVICE_TEMPLATES_PATH and FHIR_TEMPLATES_PATH. */
@Injectable()
export class DeviceMappingsProvider {
  private mappings?: DeviceMappings;

  constructor(private readonly config: AppConfig) {}

  /** The mappings in force; loaded on first use. */
  current(): DeviceMappings {
    this.mappings ??= this.load();
    return this.mappings;
  }

  /** Re-reads both documents (after a template fix); keeps the previous ones if the new ones do not load. */
  reload(): DeviceMappings {
    this.mappings = this.load();
    return this.mappings;
  }

  private load(): DeviceMappings {
    return DeviceMappings.load(
      readFileSync(this.config.DEVICE_TEMPLATES_PATH),
      readFileSync(this.config.FHIR_TEMPLATES_PATH),
    );
  }
}
