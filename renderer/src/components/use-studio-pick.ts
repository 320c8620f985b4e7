import { useShallow } from 'zustand/shallow';
import { useStudio } from '../store/context';
import type { StudioState } from '../store/studio-store';

/**
 * Several fields of the studio state at once, e.g. `useStudioPick('webhooks', 'webhookOrder')`: the component
 * renders again only when one of them changes (compared one by one, not as a new object).
 */
export function useStudioPick<K extends keyof StudioState>(...keys: K[]): Pick<StudioState, K> {
  return useStudio(useShallow((s) => pick(s, keys)));
}

function pick<K extends keyof StudioState>(s: StudioState, keys: K[]): Pick<StudioState, K> {
  const out: Partial<Pick<StudioState, K>> = {};
  for (const k of keys) out[k] = s[k];
  // Every key was just copied in, so the partial is whole.
  return out as Pick<StudioState, K>;
}
