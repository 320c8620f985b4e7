// Moving webhooks in and out of a collection: exports (bundle, Postman, curl, Marketo sheet) and imports
// (bundle, Postman, curl, raw HTTP request, describe, leads CSV), all or nothing.
export { exportCollection, type ExportFormat } from './export';
export { importIntoCollection, maxImportChars, type ImportOptions } from './import';
