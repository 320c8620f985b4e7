/** Secrets in the environment: `api key` → `WEBHOOK_STUDIO_SECRET_API_KEY` (upper case, other runs become `_`). */
export const secretEnvPrefix = 'WEBHOOK_STUDIO_SECRET_';

export function secretEnvName(name: string): string {
  return secretEnvPrefix + name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** The secret that holds a secret header's value is named after the header. */
export function secretNameForHeader(headerName: string): string {
  return headerName;
}

/** The secret that holds a secret My Token's value: `my.<token>`. */
export function secretNameForMyToken(tokenName: string): string {
  return `my.${tokenName}`;
}
