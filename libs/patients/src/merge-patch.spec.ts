import { applyMergePatch } from './merge-patch';

describe(applyMergePatch.name, () => {
  it('merges objects key by key and removes keys patched with null', () => {
    const target = { name: { family: 'Baggins', given: ['Bilbo'] }, gender: 'male', telecom: [] };
    const patch = { name: { given: ['Frodo'] }, telecom: null };
    expect(applyMergePatch(target, patch)).toEqual({
      name: { family: 'Baggins', given: ['Frodo'] },
      gender: 'male',
    });
  });

  it('replaces arrays and scalars whole, and a non-object patch replaces the target', () => {
    expect(applyMergePatch({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
    expect(applyMergePatch({ a: 1 }, ['x'])).toEqual(['x']);
  });

  it('does not change the target it was given', () => {
    const target = { name: { family: 'Baggins' } };
    applyMergePatch(target, { name: { family: 'Took' } });
    expect(target.name.family).toBe('Baggins');
  });
});
