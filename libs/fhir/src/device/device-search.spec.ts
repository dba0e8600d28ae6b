import { identifierSearchKey } from '@hdp/patients';
import { InvalidInputError } from '@hdp/platform';
import { toDeviceSearch } from './device-search';

const PATIENT = '4b1e7a52-0000-4000-8000-000000000000';

describe(toDeviceSearch.name, () => {
  it('maps identifier alternatives, patient (id or reference) and paging to the devices search', () => {
    expect(
      toDeviceSearch({
        identifier: 'urn:example:devices|m-1,m-2',
        patient: `Patient/${PATIENT}`,
        _count: '5',
        _cursor: 'c1',
        _format: 'json',
      }),
    ).toEqual({
      identifierKeys: [
        identifierSearchKey('urn:example:devices', 'm-1'),
        identifierSearchKey(undefined, 'm-2'),
      ],
      patientId: PATIENT,
      limit: 5,
      cursor: 'c1',
    });
  });

  it('keys a value in any system apart from the same value in a system', () => {
    expect(identifierSearchKey(undefined, 'm-1')).not.toBe(identifierSearchKey('', 'm-1'));
  });

  it.each([
    ['an unknown parameter', { colour: 'red' }, 'colour'],
    ['a modifier', { 'identifier:text': 'm-1' }, 'identifier:text'],
    ['an identifier with an empty system', { identifier: '|m-1' }, 'identifier'],
    ['an identifier with an empty value', { identifier: 'urn:x|' }, 'identifier'],
    ['a repeated identifier', { identifier: ['a', 'b'] }, 'identifier'],
    ['a patient that is not an id', { patient: 'Group/1' }, 'patient'],
  ])('refuses %s (400, naming the parameter)', (_story, query, param) => {
    const search = () => toDeviceSearch(query);
    expect(search).toThrow(InvalidInputError);
    expect(() => search()).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: param })] }) as Error,
    );
  });
});
