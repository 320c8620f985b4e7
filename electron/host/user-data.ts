import os from 'node:os';
import path from 'node:path';

/**
 * Where the studio keeps its own state outside any collection (recent collections, the sample
 * collection, secrets of unsaved drafts): $WEBHOOK_STUDIO_DATA, else $XDG_DATA_HOME/webhook-studio,
 * else ~/.webhook-studio. The Electron app uses app.getPath('userData') instead.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv): string {
  if (env.WEBHOOK_STUDIO_DATA) return path.resolve(env.WEBHOOK_STUDIO_DATA);
  if (env.XDG_DATA_HOME) return path.join(path.resolve(env.XDG_DATA_HOME), 'webhook-studio');
  return path.join(env.HOME ?? env.USERPROFILE ?? os.homedir(), '.webhook-studio');
}
