import type { StudioStore } from '../../store/studio-store';
import { useUi } from '../../store/ui-store';
import { byLabel, focusSoon, focusTargets } from '../../components/focus-request';
import type { SearchGroup, SearchHit, SearchPlace } from './collection-search';
import { contextTables } from './search-places';

type TokenPlace = Extract<SearchPlace, { part: 'token' }>;

/** Where a token's value is edited in the context editor (a token's name is not an input: its value is). */
function tokenSelector(place: TokenPlace): string {
  if (place.table === 'campaign' && place.name.toLowerCase() === 'type') return '#ctx-campaign-type';
  const title = contextTables.find(([t]) => t === place.table)?.[1] ?? place.table;
  const value = byLabel(`${title} ${place.name}: value`);
  // A secret My Token shows its secret's field instead.
  return place.table === 'my' ? `${value}, ${byLabel(`My Token ${place.name}: secret value`)}` : value;
}

/** Puts the cursor on the hit inside the open webhook: the editor's selection, or the row's field. */
function jumpInWebhook(hit: SearchHit): void {
  const { jumpTo } = useUi.getState();
  const place = hit.place;
  switch (place.part) {
    case 'name':
      focusSoon(byLabel('Webhook name'));
      return;
    case 'url':
    case 'template':
      jumpTo({ part: place.part, offset: hit.offset, length: hit.length });
      return;
    case 'header':
    case 'mapping':
      jumpTo({ part: place.part, index: place.index, field: place.field });
      return;
    case 'token':
      return;
  }
}

/** Opens the hit's webhook or context and puts the cursor where it matched. */
export function openSearchHit(store: StudioStore, group: SearchGroup, hit: SearchHit): void {
  const ui = useUi.getState();
  if (ui.view !== 'studio') ui.setView('studio');
  store.getState().select(group.kind, group.key);
  if (group.kind === 'webhook') jumpInWebhook(hit);
  else if (hit.place.part === 'token') focusSoon(tokenSelector(hit.place));
  else focusSoon(focusTargets.contextName);
}
