import { sniffContentType } from './content-type';

const dicom = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([2, 0])]);

describe('sniffContentType', () => {
  it.each([
    ['application/pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3')],
    ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])],
    ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])],
    ['application/dicom', dicom],
    ['text/plain', Buffer.from('Discharge letter: café, naïve, 12 mmol/L')],
  ])('recognises %s by its leading bytes', (type, head) => {
    expect(sniffContentType(head)).toBe(type);
  });

  it('accepts text cut inside a multi-byte character at the end of the head', () => {
    expect(sniffContentType(Buffer.from('résumé').subarray(0, 2))).toBe('text/plain');
  });

  it.each([
    ['an executable', Buffer.from([0x4d, 0x5a, 0x90, 0x00])],
    ['a zip archive', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])],
    ['invalid UTF-8', Buffer.from([0x41, 0xc3, 0x28, 0x42])],
    ['nothing', Buffer.alloc(0)],
  ])('rejects %s', (_, head) => {
    expect(sniffContentType(head)).toBeUndefined();
  });
});
