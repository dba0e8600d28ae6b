export { DeviceIngestModule } from './device-ingest.module';
