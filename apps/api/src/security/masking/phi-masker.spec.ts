import { MaskingPolicy, maskIdentifier, maskPhi } from './phi-masker';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const policy = (overrides: Partial<MaskingPolicy> = {}): MaskingPolicy => ({
  maskedSystems: new Set([NHS]),
  removedFields: new Set(),
  removedExtensions: new Set(),
  ...overrides,
});

describe(maskPhi.name, () => {
  it('masks national identifiers but keeps other identifiers', () => {
    const body = {
      identifier: [
        { system: NHS, value: '9434765919' },
        { system: 'urn:mrn', value: 'MRN-1' },
      ],
    };
    expect(maskPhi(body, policy())).toEqual({
      identifier: [
        { system: NHS, value: '*******919' },
        { system: 'urn:mrn', value: 'MRN-1' },
      ],
    });
  });

  it('reaches identifiers at any depth, as in a search Bundle', () => {
    const bundle = { entry: [{ resource: { identifier: [{ system: NHS, value: '9434765919' }] } }] };
    expect(JSON.stringify(maskPhi(bundle, policy()))).not.toContain('9434765919');
  });

  it('removes listed free-text fields and extensions', () => {
    const body = {
      note: [{ text: 'x' }],
      extension: [{ url: 'keep' }, { url: 'drop' }],
      name: [{ family: 'F' }],
    };
    expect(
      maskPhi(body, policy({ removedFields: new Set(['note']), removedExtensions: new Set(['drop']) })),
    ).toEqual({
      extension: [{ url: 'keep' }],
      name: [{ family: 'F' }],
    });
  });

  it('leaves the input untouched', () => {
    const body = { identifier: [{ system: NHS, value: '9434765919' }] };
    maskPhi(body, policy());
    expect(body.identifier[0].value).toBe('9434765919');
  });

  it('shapes what serialises through toJSON (documents) rather than skipping it', () => {
    const document = { toJSON: () => ({ identifier: [{ system: NHS, value: '9434765919' }] }) };
    expect(JSON.stringify(maskPhi(document, policy()))).toContain('*******919');
  });
});

describe(maskIdentifier.name, () => {
  it('keeps the length and the last three characters', () => {
    expect(maskIdentifier('9434765919')).toBe('*******919');
    expect(maskIdentifier('12')).toBe('**');
  });
});
