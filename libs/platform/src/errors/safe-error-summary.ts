/**
 * What of an unexpected error may be logged: its class, code and stack frames, never its message,
 * which can quote data (a duplicate-key error names the key's value, a cast error the input).
 */
export function safeErrorSummary(error: unknown): {
  name: string;
  code?: string | number;
  frames?: string[];
} {
  if (!(error instanceof Error)) return { name: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    frames: error.stack
      ?.split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .slice(0, 10)
      .map((line) => line.trim()),
  };
}
