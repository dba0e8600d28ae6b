import { Controller, Get, Param, Post } from '@nestjs/common';
import {
  AnyAuthenticated,
  Public,
  RequestContextService,
  RequireRole,
  RequireScope,
  Role,
} from '@hdp/platform';

/** A patient-like body, as the patients and FHIR routes return them. */
export function probePatient(id: string) {
  return {
    resourceType: 'Patient',
    id,
    identifier: [
      { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' },
      { system: 'urn:hospital:mrn', value: 'MRN-000123' },
    ],
    name: [{ family: 'Oakenshield', given: ['Thorin'] }],
    note: [{ text: 'Free text the partner systems must not see' }],
    extension: [
      { url: 'https://example.org/ethnic-category', valueString: 'A' },
      { url: 'https://example.org/interpreter-required', valueBoolean: false },
    ],
  };
}

/**
 * Test-only routes for the security suites: what the request context holds after the pipeline ran, and
 * routes demanding scopes and roles. Registered by the suites through startTestApp's `controllers`.
 */
@Controller('probe')
export class ProbeController {
  private slowWrites = 0;

  constructor(private readonly contexts: RequestContextService) {}

  @Public()
  @Get('public')
  open() {
    return { open: true };
  }

  @AnyAuthenticated()
  @Get('whoami')
  whoami() {
    const context = this.contexts.current();
    return { principal: context?.principal, breakGlassReason: context?.breakGlassReason ?? null };
  }

  @RequireScope('Patient', 'read')
  @Get('patients/:id')
  patient(@Param('id') id: string) {
    const context = this.contexts.current();
    return {
      ...probePatient(id),
      seenBy: context?.principal?.id,
      breakGlassReason: context?.breakGlassReason ?? null,
    };
  }

  @RequireScope('Patient', 'search')
  @Get('patients')
  search() {
    return {
      resourceType: 'Bundle',
      entry: [{ resource: probePatient('p1') }, { resource: probePatient('p2') }],
    };
  }

  @RequireScope('Observation', 'create')
  @Post('observations')
  createObservation() {
    return { created: true };
  }

  @AnyAuthenticated()
  @Get('slow')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return { slow: true };
  }

  /** A write slower than the hardening suite's request timeout: counts the changes it completed. */
  @AnyAuthenticated()
  @Post('slow')
  async slowWrite() {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return { written: ++this.slowWrites };
  }

  @RequireRole(Role.Auditor)
  @Get('audit')
  audit() {
    return { audit: true };
  }

  /** Declares no access rule: the guard must refuse it whoever calls. */
  @Get('undeclared')
  undeclared() {
    return { reached: true };
  }
}
