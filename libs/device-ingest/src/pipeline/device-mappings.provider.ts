import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig, safeErrorSummary } from '@hdp/platform';
import { DeviceMappings } from '../device-mappings';
import { TemplateLoadError } from '../errors/template-load.error';
import { IngestMetrics } from './ingest-metrics';

/** How often the template files are checked for a replacement (a stat each; a mounted ConfigMap swaps them). */
export const TEMPLATE_CHECK_INTERVAL_MS = 1_000;

/**
 * The customer's mapping documents, read from DEVICE_TEMPLATES_PATH and FHIR_TEMPLATES_PATH, and read again
 * when either file changes, without a restart. A replacement is validated first: a bad one is rejected
 * (logged with the template and field, counted), and the mappings in force stay.
 */
@Injectable()
export class DeviceMappingsProvider implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DeviceMappingsProvider.name);
  private readonly onFileChange = () => void this.reloadIfValid();
  private mappings?: DeviceMappings;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: IngestMetrics,
  ) {}

  onModuleInit(): void {
    for (const path of this.paths()) {
      watchFile(path, { interval: TEMPLATE_CHECK_INTERVAL_MS, persistent: false }, this.onFileChange);
    }
  }

  onModuleDestroy(): void {
    for (const path of this.paths()) unwatchFile(path, this.onFileChange);
  }

  /** The mappings in force; loaded on first use. */
  current(): DeviceMappings {
    this.mappings ??= this.load();
    return this.mappings;
  }

  /** Re-reads both documents (after a template fix); throws TemplateLoadError and keeps the previous ones. */
  reload(): DeviceMappings {
    try {
      this.mappings = this.load();
    } catch (error) {
      if (error instanceof TemplateLoadError) this.reject(error);
      throw error;
    }
    this.metrics.templatesReloaded('accepted');
    return this.mappings;
  }

  /** reload(), for the file watcher: a rejected replacement is logged and counted, never thrown. */
  reloadIfValid(): boolean {
    try {
      this.reload();
      this.logger.log('Mapping templates replaced');
      return true;
    } catch (error) {
      if (!(error instanceof TemplateLoadError)) {
        this.logger.warn({ error: safeErrorSummary(error) }, 'Mapping templates could not be read; kept');
        this.metrics.templatesReloaded('unreadable');
      }
      return false;
    }
  }

  private reject(error: TemplateLoadError): void {
    // Issues name the place in the template and what is wrong there; templates hold no readings.
    this.logger.warn({ issues: error.issues }, `${error.message}; the templates in force are kept`);
    this.metrics.templatesReloaded('rejected');
  }

  private paths(): string[] {
    return [this.config.DEVICE_TEMPLATES_PATH, this.config.FHIR_TEMPLATES_PATH];
  }

  private load(): DeviceMappings {
    const mappings = DeviceMappings.load(
      readFileSync(this.config.DEVICE_TEMPLATES_PATH),
      readFileSync(this.config.FHIR_TEMPLATES_PATH),
    );
    const warnings = mappings.warnings();
    // As MedTech's validator: they load, but some readings would appear in no Observation (names templates only).
    if (warnings.length > 0) this.logger.warn({ warnings }, 'The device and FHIR templates do not fit');
    return mappings;
  }
}
