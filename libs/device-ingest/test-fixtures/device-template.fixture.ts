/** The body of a minimal JsonPathContent heart-rate template: `{device, at, hr}` messages. */
export const HEART_RATE_CONTENT = {
  typeName: 'heartrate',
  typeMatchExpression: '$..[?(@hr)]',
  deviceIdExpression: '$.device',
  timestampExpression: '$.at',
  values: [{ valueName: 'hr', valueExpression: '$.hr', required: true }],
};
