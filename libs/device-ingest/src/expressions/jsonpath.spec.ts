import { ExpressionEvaluationError } from './expression';
import { compileJsonPath, toJsonPathPlusDialect } from './jsonpath';

describe(compileJsonPath.name, () => {
  it('rewrites the Newtonsoft shorthand and existence tests into the jsonpath-plus dialect', () => {
    expect(toJsonPathPlusDialect("$..[?(@hr && @unit == '@x')]")).toBe(
      "$..[?((@.hr !== undefined) && @.unit == '@x')]",
    );
  });

  it('reads @name as a member, even where jsonpath-plus has a variable of that name', () => {
    const sut = compileJsonPath('$..[?(@parent)]');
    expect(sut.selectAll({ a: { parent: 'p' }, b: {} })).toEqual([{ parent: 'p' }]);
  });

  it.each([0, false, '', null])('treats a member holding %p as present, as Newtonsoft does', (value) => {
    expect(compileJsonPath('$..[?(@flag)]').selectAll({ reading: { flag: value } })).toEqual([
      { flag: value },
    ]);
  });

  it('tests the root too, and returns matches parents first, in document order', () => {
    const message = { hr: 1, x: { y: { hr: 2 } }, z: [{ hr: 3 }] };
    expect(compileJsonPath('$..[?(@hr)]').selectAll(message)).toEqual([message, { hr: 2 }, { hr: 3 }]);
  });

  it('evaluates comparisons, disjunctions and nested members, a missing member failing the test quietly', () => {
    const message = { a: { unit: 'inches' }, b: { unit: 'cm', v: { ok: 1 } }, c: { v: 2 } };
    expect(compileJsonPath("$..[?(@.unit == 'inches' || @.v.ok)]").selectAll(message)).toEqual([
      { unit: 'inches' },
      { unit: 'cm', v: { ok: 1 } },
    ]);
  });

  it('reads member chains, indexes, hyphenated names and wildcards', () => {
    const message = {
      SystemProperties: { 'iothub-connection-device-id': 'd-1' },
      list: [{ v: 1 }, { v: 2 }],
    };
    expect(compileJsonPath('$.SystemProperties.iothub-connection-device-id').selectOne(message)).toBe('d-1');
    expect(compileJsonPath("$['list'][1].v").selectOne(message)).toBe(2);
    expect(compileJsonPath('$.list[*].v').selectAll(message)).toEqual([1, 2]);
    expect(compileJsonPath('$.list[0].missing.deeper').selectOne(message)).toBeUndefined();
  });

  it('refuses to pick one of several tokens for a single value', () => {
    const sut = compileJsonPath('$.list[*].v');
    expect(() => sut.selectOne({ list: [{ v: 1 }, { v: 2 }] })).toThrow(new ExpressionEvaluationError(true));
  });

  it('fails at compile time on a malformed filter', () => {
    expect(() => compileJsonPath('$..[?(@hr')).toThrow();
  });
});
