import { isValidNhsNumber } from './nhs-number';

describe(isValidNhsNumber.name, () => {
  it.each(['9434765919', '9434765870', '4010232137'])('accepts %s, whose check digit is right', (value) => {
    expect(isValidNhsNumber(value)).toBe(true);
  });

  it.each([
    ['a wrong check digit', '9434765918'],
    ['a number whose check digit would be 10', '1000000010'],
    ['nine digits', '943476591'],
    ['spaces', '943 476 5919'],
    ['letters', '94347659AB'],
  ])('rejects %s', (_case, value) => {
    expect(isValidNhsNumber(value)).toBe(false);
  });
});
