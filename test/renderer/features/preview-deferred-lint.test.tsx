import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '@renderer/App';
import { StoreProvider } from '@renderer/store/context';
import { createStudioStore } from '@renderer/store/studio-store';
import { computePreview } from '@renderer/lib/use-preview';
import { explicitProfile } from '@renderer/store/studio-store';
import { assumptionsAndList } from '@renderer/features/preview/PreviewPane';
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
    const listed = assumptionsAndList(expected.diagnostics).listed;
    await waitFor(() => expect(shownCodes()).toEqual(listed.map((d) => d.code)));
    expect(shownCodes()).not.toContain('unresolved-token');
  });
});

describe('the preview says what the bytes rest on once', () => {
  it('names the assumed profile options in Assumptions and does not list the same note among the diagnostics', async () => {
    mount();
    await screen.findByTestId('preview-body');
    const section = await screen.findByRole('heading', { name: 'Assumptions' });
    expect(section.parentElement?.textContent).toContain('encodingScope');
    await waitFor(() => expect(shownCodes()).not.toContain('profile-assumptions'));
    // The note is still in what the engine answers (the CLI and reports show it): only the pane folds it.
    const { assumed, listed } = assumptionsAndList([
      { severity: 'warning', code: 'w', message: 'm', assumed: ['jsonNonAscii'] },
      { severity: 'info', code: 'profile-assumptions', message: 'n', assumed: ['jsonNonAscii', 'userAgent'] },
    ]);
    expect(assumed).toEqual(['jsonNonAscii', 'userAgent']);
    expect(listed.map((d) => d.code)).toEqual(['w']);
    expect(assumptionsAndList([{ severity: 'info', code: 'profile-assumptions', message: 'n' }]).listed).toHaveLength(
      1,
    );
  });
});
