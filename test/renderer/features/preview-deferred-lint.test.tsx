import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '@renderer/App';
import { StoreProvider } from '@renderer/store/context';
import { createStudioStore } from '@renderer/store/studio-store';
import { computePreview } from '@renderer/lib/use-preview';
import { explicitProfile } from '@renderer/store/studio-store';
import { fakeApi } from '../fake-api';
import { snapshot } from '../fixtures';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function mount() {
  const fake = fakeApi({
    'app:info': () => ({ version: '0', shell: 'browser', platform: 'linux', collectionDir: '/c' }),
    'collection:open': () => snapshot(),
    'collection:recent': () => ({ dirs: [] }),
    'history:list': () => ({ entries: [] }),
  });
  const store = createStudioStore(fake.api, { newId: () => 'send-1' });
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  return store;
}

/** The codes the preview's diagnostics list shows. */
function shownCodes(): string[] {
  const list = screen.queryByRole('list', { name: 'Diagnostics' });
  return list
    ? within(list)
        .queryAllByRole('listitem')
        .map((li) => li.querySelector('.code')?.textContent ?? '')
    : [];
}

describe('the live preview while typing (docs/performance.md#keystroke-to-preview)', () => {
  it('shows the bytes of each edit, and the diagnostics of the same text once the lint catches up', async () => {
    const store = mount();
    await screen.findByTestId('preview-body');
    const key = 'webhooks/enrich.yaml';
    const edit = (template: string) => act(() => store.getState().updateWebhook(key, { template }));

    edit('{"email": {{lead.Email Address}}, "who": {{lead.Nope}}}');
    expect(screen.getByTestId('preview-body').textContent).toBe('{"email": "ada@example.com", "who": ""}');
    await waitFor(() => expect(shownCodes()).toContain('unresolved-token'));

    edit('{"email": {{lead.Email Address}}, "who": {{lead.Nope}}');
    edit('{"email": {{lead.Email Address}}}');
    expect(screen.getByTestId('preview-body').textContent).toBe('{"email": "ada@example.com"}');
    const s = store.getState();
    const context = s.contexts[s.activeContext ?? '']!.value;
    const expected = computePreview(s.webhooks[key]!.value, context, s.fields, explicitProfile(s.profile));
    await waitFor(() => expect(shownCodes()).toEqual(expected.diagnostics.map((d) => d.code)));
    expect(shownCodes()).not.toContain('unresolved-token');
  });
});
