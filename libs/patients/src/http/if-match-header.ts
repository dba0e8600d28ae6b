/** The OpenAPI description of the `If-Match` header every versioned change and deletion requires. */
export const IF_MATCH_HEADER = {
  name: 'If-Match',
  required: true,
  description: 'The ETag of the version being changed or deleted',
} as const;
