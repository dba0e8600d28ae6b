import { asksForSurvey, toReportedSearch } from './reported-observations';

describe(toReportedSearch.name, () => {
  it('keeps LOINC codes and moves the end bounds of an instant 1 ms back', () => {
    const at = new Date('2026-03-09T00:00:00Z');
    expect(
      toReportedSearch({
        patientId: 'p',
        codeTokens: ['s:http://loinc.org|29463-7', 'c:8480-6', 's:http://snomed.info/sct|27113001'],
        effective: [{ end: { $gt: at } }, { start: { $lt: at } }],
      }),
    ).toMatchObject({
      patientId: 'p',
      codes: ['29463-7', '8480-6'],
      effectiveAt: [{ $gt: new Date(at.getTime() - 1) }, { $lt: at }],
    });
  });

  it('finds nothing for a device, a status other than final, or no LOINC code', () => {
    expect(toReportedSearch({ device: 'Device/1' })).toBeUndefined();
    expect(toReportedSearch({ statuses: ['preliminary'] })).toBeUndefined();
    expect(toReportedSearch({ codeTokens: ['s:http://snomed.info/sct|27113001'] })).toBeUndefined();
  });

  it('is asked for only by the survey category, with or without its system', () => {
    expect(asksForSurvey({ categoryTokens: ['c:survey'] })).toBe(true);
    expect(
      asksForSurvey({
        categoryTokens: ['s:http://terminology.hl7.org/CodeSystem/observation-category|survey'],
      }),
    ).toBe(true);
    expect(asksForSurvey({ categoryTokens: ['c:laboratory'] })).toBe(false);
    expect(asksForSurvey({})).toBe(false);
  });
});
