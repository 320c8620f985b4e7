import { BodyIndex } from '../features/response/body-index';
import { answer, infoOf, type BodyRequest } from '../features/response/body-client';

// Holds one parsed response body for the response pane; the page asks for windows of rows and lines.
let index: BodyIndex | undefined;

self.onmessage = (ev: MessageEvent<{ id: number; req: BodyRequest }>) => {
  const { id, req } = ev.data;
  try {
    if (req.op === 'open') {
      index = new BodyIndex(req.text ?? new TextDecoder().decode(req.bytes), req.kind, { partial: req.partial });
      self.postMessage({ id, value: infoOf(index) });
    } else if (!index) {
      self.postMessage({ id, error: 'no body is open' });
    } else {
      self.postMessage({ id, value: answer(index, req) });
    }
  } catch (e) {
    self.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
