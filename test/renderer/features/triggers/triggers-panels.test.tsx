import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { FlowStepPanel } from '@renderer/features/triggers/FlowStepPanel';
import { TriggersPanel } from '@renderer/features/triggers/TriggersPanel';
import { StoreProvider } from '@renderer/store/context';
import { createStudioStore } from '@renderer/store/studio-store';
import { evaluateResponse } from '@shared/engine';
import { tokenContextSchema, webhookSchema } from '@shared/model';
import { fakeApi } from '../../fake-api';
import { exchange, snapshot } from '../../fixtures';

afterEach(() => cleanup());

const hook = webhookSchema.parse({
  name: 'Enrich',
  url: 'https://h.example/',
  responseType: 'json',
  mappings: [
    { attribute: 'title', field: 'Title' },
    { attribute: 'city', field: 'City' },
  ],
});
const lead = tokenContextSchema.parse({ name: 'c', lead: { 'Job Title': 'Intern', City: 'Paris' } });

describe('FlowStepPanel', () => {
  it('shows the value the next flow step sees and the value after the asynchronous write, with the Data Value Changes advice', () => {
    const report = evaluateResponse(hook, { status: 200, body: '{"title":"CEO","city":"Paris"}' }, { context: lead });
    render(<FlowStepPanel report={report} />);
    const rows = screen.getAllByRole('row').map((r) => r.textContent);
    expect(rows).toEqual(['Lead fieldThe next flow step seesAfter Marketo’s asynchronous write', 'TitleInternCEO']);
    expect(screen.getByTestId('data-value-changes').textContent).toContain('Data Value Changes (attribute Title)');
  });
  it('says nothing needs waiting for when no mapped field changes', () => {
    const report = evaluateResponse(hook, { status: 404, body: '{"title":"CEO"}' }, { context: lead });
    render(<FlowStepPanel report={report} />);
    expect(screen.queryByTestId('data-value-changes')).toBeNull();
    expect(screen.getByTestId('flow-step').textContent).toContain('No mapped field changes');
  });
});

describe('TriggersPanel', () => {
  it('shows the Error Type and which triggers fire, and saves a new trigger through the API', async () => {
    const saved: unknown[] = [];
    const fake = fakeApi({
      'collection:open': () =>
        snapshot({
          triggers: [
            {
              name: 'Gone',
              webhooks: [],
              constraints: [{ attribute: 'errorType', operator: 'is', values: ['Not Found'] }],
            },
          ],
        }),
      'collection:saveTriggers': (input) => {
        saved.push((input as { triggers: unknown }).triggers);
        return { ok: true as const };
      },
    });
    const store = createStudioStore(fake.api, { newId: () => 'x' });
    await store.getState().openCollection('/c');
    const x = exchange({
      outcome: 'ignored',
      response: {
        httpVersion: '1.1',
        status: 404,
        reason: 'Not Found',
        headers: [],
        head: '',
        body: '{"error":"x"}',
        bodyEncoding: 'utf8',
        bodyBytes: 13,
        truncated: false,
      },
    });
    render(
      <StoreProvider store={store}>
        <TriggersPanel exchange={x} webhook={hook} />
      </StoreProvider>,
    );
    expect(screen.getByTestId('error-type').textContent).toBe('Not Found');
    expect(screen.getByTestId('trigger-result').getAttribute('data-fires')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Add trigger…' }));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Save trigger' }).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Trigger name'), { target: { value: 'Said error' } });
    fireEvent.change(screen.getByLabelText('Constraint 1 attribute'), { target: { value: 'response' } });
    fireEvent.change(screen.getByLabelText('Constraint 1 operator'), { target: { value: 'contains' } });
    fireEvent.change(screen.getByLabelText('Constraint 1 values'), { target: { value: 'error' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save trigger' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual([
      { name: 'Gone', webhooks: [], constraints: [{ attribute: 'errorType', operator: 'is', values: ['Not Found'] }] },
      {
        name: 'Said error',
        webhooks: ['Enrich'],
        constraints: [{ attribute: 'response', operator: 'contains', values: ['error'] }],
      },
    ]);
    await waitFor(() =>
      expect(screen.getAllByTestId('trigger-result').map((r) => r.getAttribute('data-fires'))).toEqual([
        'true',
        'true',
      ]),
    );
  });
});

describe("a runner lead's exchange", () => {
  it('lists which triggers fire for that lead', async () => {
    const { ExchangeDetail } = await import('@renderer/features/runner/ExchangeDetail');
    const x = exchange({ outcome: 'timeout', response: undefined });
    render(
      <ExchangeDetail
        line={3}
        exchange={x}
        onClose={() => undefined}
        triggers={[
          {
            name: 'No answer',
            webhooks: [],
            constraints: [{ attribute: 'errorType', operator: 'is', values: ['Timeout'] }],
          },
          { name: 'Other', webhooks: ['Lookup'], constraints: [] },
        ]}
      />,
    );
    expect(screen.getAllByTestId('lead-trigger').map((li) => li.getAttribute('data-fires'))).toEqual(['true', 'false']);
    expect(screen.getByTestId('lead-triggers').textContent).toContain('assumed: timeoutErrorType');
  });
});
