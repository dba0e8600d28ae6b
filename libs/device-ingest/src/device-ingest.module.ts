import { Module } from '@nestjs/common';
import { DeviceIngestService } from './device-ingest.service';

@Module({
  providers: [DeviceIngestService],
  exports: [DeviceIngestService],
})
export class DeviceIngestModule {}
