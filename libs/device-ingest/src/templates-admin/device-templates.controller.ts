import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOperation } from '@hdp/platform';
import { DeviceMappingsProvider } from '../pipeline/device-mappings.provider';
import { DeviceTemplateTestDto, DeviceTemplateTestResponseDto } from './template-test.dto';
import { TemplateTestService } from './template-test.service';

@ApiTags('device ingest')
@AdminOperation()
@Controller('api/v1/device-templates')
export class DeviceTemplatesController {
  constructor(
    private readonly templateTest: TemplateTestService,
    private readonly mappings: DeviceMappingsProvider,
  ) {}

  @Post('$test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a sample message through device (and FHIR) templates; nothing is stored' })
  test(@Body() body: DeviceTemplateTestDto): DeviceTemplateTestResponseDto {
    return this.templateTest.run(body);
  }

  @Post('$reload')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Re-read the configured template files now (they are also re-read when they change)',
  })
  reload(): { reloaded: true } {
    this.mappings.reload();
    return { reloaded: true };
  }
}
