import type { Command } from '../io';

/**
 * Every CLI command, loaded on demand so `webhook-studio render` does not pay for the sender or the
 * browser host. Each command lives in its own module under commands/.
 */
export const commands: Record<string, () => Promise<Command>> = {
  render: () => import('./render').then((m) => m.command),
  map: () => import('./map').then((m) => m.command),
  lint: () => import('./lint').then((m) => m.command),
  serve: () => import('./serve').then((m) => m.command),
  init: () => import('./init').then((m) => m.command),
  export: () => import('./export').then((m) => m.command),
  import: () => import('./import').then((m) => m.command),
  fmt: () => import('./fmt').then((m) => m.command),
  run: () => import('./run').then((m) => m.command),
  send: () => import('./send').then((m) => m.command),
  catch: () => import('./catch').then((m) => m.command),
};
