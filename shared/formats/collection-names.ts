/**
 * The names of a collection's files and folders, in a module of their own: code that only needs a name
 * (the secrets store's folder, a CLI run) does not load the YAML reader with collection-files.ts.
 */

export const collectionFile = 'collection.yaml';
export const fieldsFile = 'fields.yaml';
export const triggersFile = 'triggers.yaml';
export const webhooksDir = 'webhooks';
export const contextsDir = 'contexts';
export const stateDir = '.studio';
export const webhookSuffix = '.webhook.yaml';
export const contextSuffix = '.context.yaml';
