import { describe } from '../describe';
import type { SliceContext, TransferActions } from '../types';

/** Importing files into the collection and exporting webhooks out of it. */
export function transferSlice({ api, get }: SliceContext): TransferActions {
  const notify = (text: string) => get().notify('error', text);
  return {
    importFile: async ({ fileName, content, overwrite }) => {
      const dir = get().dir;
      if (!dir) {
        notify('Open a collection before importing into it.');
        return undefined;
      }
      try {
        const report = await api.import.run({ dir, fileName, content, format: 'auto', overwrite });
        await get().refresh();
        return report;
      } catch (e) {
        notify(`Not imported: ${describe(e)}`);
        return undefined;
      }
    },
    exportRun: async (format, webhookKeys) => {
      const s = get();
      if (!s.dir) return undefined;
      const paths = webhookKeys.map((k) => s.webhooks[k]?.path).filter((p): p is string => !!p);
      if (paths.length === 0) {
        notify('Save the webhook before exporting it.');
        return undefined;
      }
      const contextPath = s.activeContext ? s.contexts[s.activeContext]?.path : undefined;
      try {
        return await api.export.run({ dir: s.dir, format, webhookPaths: paths, contextPath });
      } catch (e) {
        notify(`Not exported: ${describe(e)}`);
        return undefined;
      }
    },
  };
}
